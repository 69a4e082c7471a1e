import { decodeCursor, encodeCursor } from "@gatehouse/core";
import { listMails } from "@gatehouse/db";
import { adminProcedure } from "../../trpc/init.ts";
import { ZOutboxListInput, ZOutboxListOutput } from "./list.schema.ts";
import { toOutboxMail } from "./shared.ts";

/** outbox.list: every mail Gatehouse sent or holds, newest first (system admins). */
export const list = adminProcedure
  .input(ZOutboxListInput)
  .output(ZOutboxListOutput)
  .query(async ({ ctx, input }) => {
    const sort = { sortBy: "createdAt", sortOrder: "desc" as const };
    const cursor = input.cursor ? decodeCursor(input.cursor, sort) : null;
    const rows = await listMails(ctx.db, {
      after: cursor ? { createdAt: new Date(cursor.value), id: cursor.id } : null,
      take: input.pageSize + 1,
    });
    const page = rows.slice(0, input.pageSize);
    const last = page.at(-1);
    return {
      items: page.map(toOutboxMail),
      nextCursor:
        rows.length > input.pageSize && last
          ? encodeCursor({ ...sort, value: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  });
