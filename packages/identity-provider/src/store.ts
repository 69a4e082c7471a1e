import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * oidc-provider's storage, in memory and reachable by us: the built-in memory adapter hides its
 * data, but `logout(sub)` must find a person's sessions, and clients registered after start are
 * read through the `Client` model of this adapter.
 */
export class MemoryStore {
  private readonly models = new Map<
    string,
    Map<string, { payload: AdapterPayload; expiresAt: number | null }>
  >();

  private model(name: string) {
    let rows = this.models.get(name);
    if (!rows) {
      rows = new Map();
      this.models.set(name, rows);
    }
    return rows;
  }

  get(name: string, id: string): AdapterPayload | undefined {
    const row = this.model(name).get(id);
    if (!row) return undefined;
    if (row.expiresAt !== null && row.expiresAt <= Date.now()) {
      this.model(name).delete(id);
      return undefined;
    }
    return row.payload;
  }

  set(name: string, id: string, payload: AdapterPayload, expiresIn?: number) {
    const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : null;
    this.model(name).set(id, { payload, expiresAt });
  }

  delete(name: string, id: string) {
    this.model(name).delete(id);
  }

  /** Live rows of a model, e.g. every Session. */
  entries(name: string): Array<[string, AdapterPayload]> {
    const live: Array<[string, AdapterPayload]> = [];
    for (const id of [...this.model(name).keys()]) {
      const payload = this.get(name, id);
      if (payload) live.push([id, payload]);
    }
    return live;
  }

  /** The constructor oidc-provider's `adapter` option expects. */
  adapterFactory(): (name: string) => Adapter {
    return (name: string): Adapter => ({
      upsert: (id, payload, expiresIn) => {
        this.set(name, id, payload, expiresIn);
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(this.get(name, id)),
      findByUid: (uid) =>
        Promise.resolve(this.entries(name).find(([, payload]) => payload.uid === uid)?.[1]),
      findByUserCode: (userCode) =>
        Promise.resolve(
          this.entries(name).find(([, payload]) => payload.userCode === userCode)?.[1],
        ),
      consume: (id) => {
        const payload = this.get(name, id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id) => {
        this.delete(name, id);
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const [id, payload] of this.entries(name)) {
          if (payload.grantId === grantId) this.delete(name, id);
        }
        return Promise.resolve();
      },
    });
  }
}
