import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";
import type { Contact, Identity } from "../model.ts";
import { SqlFilter } from "../sql-filter.ts";

interface ContactRow {
  id: string;
  display_name: string | null;
  created_at: number;
  updated_at: number;
}

interface IdentityRow {
  id: string;
  contact_id: string;
  channel_type: string;
  address: string;
  phone: string | null;
  created_at: number;
}

const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  displayName: r.display_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A stored row as an identity, its address and phone opened (store/encryption/). */
const identityFrom =
  (fields: FieldCodec) =>
  (r: IdentityRow): Identity => ({
    id: r.id,
    contactId: r.contact_id,
    channelType: r.channel_type,
    address: fields.open("identities.address", r.id, r.address),
    phone: r.phone === null ? null : fields.open("identities.phone", r.id, r.phone),
    createdAt: r.created_at,
  });

/**
 * A phone number as E.164 (`+` and 7 to 15 digits, country code not starting with 0, per
 * ITU-T E.164), or undefined when it is not one. Spaces, dots, dashes and parentheses are
 * dropped and a missing `+` is added: `15551234567` and `+1 (555) 123-4567` agree.
 */
export function toE164(raw: string): string | undefined {
  const compact = raw.trim().replace(/[\s.()-]/g, "");
  const digits = compact.startsWith("+") ? compact.slice(1) : compact;
  return /^[1-9][0-9]{6,14}$/.test(digits) ? `+${digits}` : undefined;
}

export interface NewIdentity {
  channelType: string;
  address: string;
  /** Verified E.164 number, already normalised. */
  phone: string | null;
  displayName: string | null;
}

export interface ContactFilter {
  /** Contacts with an identity at this address, or whose verified phone it is. */
  address?: string;
  /** Return contacts created before this id (newest first). */
  before?: string;
  limit: number;
}

export function contactsRepository(db: Executor, fields: FieldCodec) {
  const toIdentity = identityFrom(fields);
  return {
    async findIdentity(channelType: string, address: string): Promise<Identity | undefined> {
      const at = fields.equals("address", address);
      const row = await db.get<IdentityRow>(
        `SELECT * FROM identities WHERE channel_type = ? AND ${at.sql}`,
        [channelType, ...at.params],
      );
      return row && toIdentity(row);
    },

    /** The oldest identity on another channel type that carries this verified phone. */
    async findByPhone(phone: string, otherThan: string): Promise<Identity | undefined> {
      const at = fields.equals("phone", phone);
      const row = await db.get<IdentityRow>(
        `SELECT * FROM identities WHERE ${at.sql} AND channel_type <> ?
         ORDER BY created_at, id LIMIT 1`,
        [...at.params, otherThan],
      );
      return row && toIdentity(row);
    },

    /**
     * Create an identity and a contact for it. Returns undefined, creating nothing, when
     * another instance created the same identity meanwhile.
     */
    async createIdentity(input: NewIdentity, now: number): Promise<Identity | undefined> {
      const contactId = newId("ct", now);
      await db.run(
        "INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [contactId, input.displayName, now, now],
      );
      const identity: Identity = {
        id: newId("id", now),
        contactId,
        channelType: input.channelType,
        address: input.address,
        phone: input.phone,
        createdAt: now,
      };
      const indexes = fields.blindIndexColumns({
        address: identity.address,
        phone: identity.phone,
      });
      const columns = ["id", "contact_id", "channel_type", "address", "phone", "created_at"];
      const inserted = await db.run(
        `INSERT INTO identities (${[...columns, ...indexes.columns].join(", ")})
         VALUES (${[...columns, ...indexes.columns].map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`,
        [
          identity.id,
          contactId,
          identity.channelType,
          fields.seal("identities.address", identity.id, identity.address),
          identity.phone === null
            ? null
            : fields.seal("identities.phone", identity.id, identity.phone),
          now,
          ...indexes.params,
        ],
      );
      if (inserted.changes === 1) {
        await fields.indexForSearch(db, "identities", identity.id, identity.id, identity.address);
        return identity;
      }
      await db.run("DELETE FROM contacts WHERE id = ?", [contactId]);
      return undefined;
    },

    /** The identity for (channel type, address), creating it and a new contact the first time. */
    async resolveIdentity(
      channelType: string,
      address: string,
      displayName: string | null,
      now: number,
    ): Promise<Identity> {
      const found = await this.findIdentity(channelType, address);
      if (found) return found;
      const created = await this.createIdentity(
        { channelType, address, phone: null, displayName },
        now,
      );
      // Undefined: another instance created it between our read and write; use theirs.
      return created ?? (await this.findIdentity(channelType, address))!;
    },

    async getIdentity(id: string): Promise<Identity | undefined> {
      const row = await db.get<IdentityRow>("SELECT * FROM identities WHERE id = ?", [id]);
      return row && toIdentity(row);
    },

    async identitiesOf(contactId: string): Promise<Identity[]> {
      const rows = await db.all<IdentityRow>(
        "SELECT * FROM identities WHERE contact_id = ? ORDER BY id",
        [contactId],
      );
      return rows.map(toIdentity);
    },

    async getContact(id: string): Promise<Contact | undefined> {
      const row = await db.get<ContactRow>("SELECT * FROM contacts WHERE id = ?", [id]);
      return row && toContact(row);
    },

    async list(filter: ContactFilter): Promise<Contact[]> {
      const where = new SqlFilter();
      if (filter.address !== undefined) {
        // A number typed any way finds the identity whose address or verified phone it is.
        const phone = toE164(filter.address);
        const at = [
          fields.equals("address", filter.address),
          ...(phone === undefined
            ? []
            : [fields.equals("address", phone), fields.equals("phone", phone)]),
        ];
        where.add(
          `id IN (SELECT contact_id FROM identities WHERE ${at.map((c) => c.sql).join(" OR ")})`,
          ...at.flatMap((c) => c.params),
        );
      }
      where.addIf("id < ?", filter.before);
      const rows = await db.all<ContactRow>(
        `SELECT * FROM contacts ${where.where} ORDER BY id DESC LIMIT ?`,
        [...where.params, filter.limit],
      );
      return rows.map(toContact);
    },

    /**
     * Move identities, and every conversation they started, to another contact: a
     * conversation always belongs to its identity's contact. Returns the moved conversations.
     */
    async moveIdentities(identityIds: string[], toContactId: string, now: number) {
      if (identityIds.length === 0) return { conversationIds: [] as string[] };
      const marks = identityIds.map(() => "?").join(", ");
      const conversations = await db.all<{ id: string }>(
        `SELECT id FROM conversations WHERE identity_id IN (${marks}) ORDER BY id`,
        identityIds,
      );
      await db.run(`UPDATE identities SET contact_id = ? WHERE id IN (${marks})`, [
        toContactId,
        ...identityIds,
      ]);
      await db.run(
        `UPDATE conversations SET contact_id = ?, updated_at = ? WHERE identity_id IN (${marks})`,
        [toContactId, now, ...identityIds],
      );
      await db.run("UPDATE contacts SET updated_at = ? WHERE id = ?", [now, toContactId]);
      return { conversationIds: conversations.map((c) => c.id) };
    },
  };
}

export type ContactsRepository = ReturnType<typeof contactsRepository>;
