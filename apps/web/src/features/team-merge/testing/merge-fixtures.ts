/** Realistic merge previews and statuses for component tests (shapes from merge.schema.ts). */
import type { MergePreview, MergeResult, MergeStatus } from "../api/merge-types.ts";

const ids = {
  source: "11111111-1111-4111-8111-111111111111",
  target: "22222222-2222-4222-8222-222222222222",
  org: "33333333-3333-4333-8333-333333333333",
  region: "44444444-4444-4444-8444-444444444444",
  regionOff: "55555555-5555-4555-8555-555555555555",
  user1: "66666666-6666-4666-8666-666666666661",
  user2: "66666666-6666-4666-8666-666666666662",
  key: (n: number) => `77777777-7777-4777-8777-77777777777${n}`,
  merge: "88888888-8888-4888-8888-888888888888",
  product: "99999999-9999-4999-8999-999999999999",
};

export function previewFixture(overrides: Partial<MergePreview> = {}): MergePreview {
  return {
    source: {
      id: ids.source,
      name: "Acme Research",
      organization: { id: ids.org, name: "Acme" },
      membersCount: 2,
      keysCount: 3,
    },
    target: {
      id: ids.target,
      name: "Acme Platform",
      organization: { id: ids.org, name: "Acme" },
      membersCount: 4,
      keysCount: 2,
    },
    strategy: "rename",
    crossOrganization: false,
    blockingProducts: [],
    conflicts: [
      {
        name: "default",
        sourceKeyId: ids.key(1),
        targetKeyId: ids.key(9),
        resolution: "rename",
        newName: "default-Acme Research",
      },
    ],
    members: [
      {
        userId: ids.user1,
        email: "ada@acme.test",
        sourceRole: "ADMIN",
        targetRole: null,
        resultRole: "ADMIN",
        action: "add",
      },
      {
        userId: ids.user2,
        email: "bob@acme.test",
        sourceRole: "ADMIN",
        targetRole: "MEMBER",
        resultRole: "ADMIN",
        action: "upgrade",
      },
    ],
    keysToMove: [
      {
        keyId: ids.key(1),
        name: "default",
        newName: "default-Acme Research",
        regionId: ids.region,
        regionName: "EU West",
        regionActive: true,
      },
      {
        keyId: ids.key(2),
        name: "batch",
        newName: "batch",
        regionId: ids.region,
        regionName: "EU West",
        regionActive: true,
      },
      {
        keyId: ids.key(3),
        name: "legacy",
        newName: "legacy",
        regionId: ids.regionOff,
        regionName: "US Old",
        regionActive: false,
      },
    ],
    keysToDelete: [],
    warnings: ['The source team "Acme Research" will be deleted.'],
    blockers: [],
    ...overrides,
  };
}

export function resultFixture(overrides: Partial<MergeResult> = {}): MergeResult {
  return {
    mergeId: ids.merge,
    status: "SYNCING",
    movedMembers: 2,
    movedKeys: 3,
    renamedKeys: 1,
    deletedKeys: 0,
    jobs: 5,
    ...overrides,
  };
}

export function statusFixture(overrides: Partial<MergeStatus> = {}): MergeStatus {
  return {
    mergeId: ids.merge,
    status: "SYNCING",
    sourceTeam: { id: ids.source, name: "Acme Research" },
    targetTeamId: ids.target,
    strategy: "rename",
    createdAt: "2026-11-21T10:00:00.000Z",
    completedAt: null,
    jobs: { total: 3, done: 1, pending: 0, running: 1, failed: 0, waiting: 1 },
    keys: [
      {
        keyId: ids.key(1),
        name: "default-Acme Research",
        regionName: "EU West",
        action: "move",
        state: "done",
        attempts: 1,
        lastError: null,
        nextAttemptAt: null,
      },
      {
        keyId: ids.key(2),
        name: "batch",
        regionName: "EU West",
        action: "move",
        state: "running",
        attempts: 3,
        lastError: "LiteLLM 503: Service Unavailable",
        nextAttemptAt: "2026-11-21T10:00:30.000Z",
      },
      {
        keyId: ids.key(3),
        name: "legacy",
        regionName: "US Old",
        action: "move",
        state: "waiting_region_inactive",
        attempts: 0,
        lastError: null,
        nextAttemptAt: null,
      },
    ],
    ...overrides,
  };
}

export const fixtureIds = ids;
