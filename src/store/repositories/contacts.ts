import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";
import type { Contact, Identity } from "../model.ts";

interface IdentityRow {
  id: string;
  contact_id: string;
  channel_type: string;
  address: string;
  created_at: number;
}

const toIdentity = (r: IdentityRow): Identity => ({
  id: r.id,
  contactId: r.contact_id,
  channelType: r.channel_type,
  address: r.address,
  createdAt: r.created_at,
});

export function contactsRepository(db: Executor) {
  return {
    async findIdentity(channelType: string, address: string): Promise<Identity | undefined> {
      const row = await db.get<IdentityRow>(
        "SELECT * FROM identities WHERE channel_type = ? AND address = ?",
        [channelType, address],
      );
      return row && toIdentity(row);
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
      const contact: Contact = {
        id: newId("ct", now),
        displayName,
        createdAt: now,
        updatedAt: now,
      };
      await db.run(
        "INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [contact.id, contact.displayName, now, now],
      );
      const identity: Identity = {
        id: newId("id", now),
        contactId: contact.id,
        channelType,
        address,
        createdAt: now,
      };
      const inserted = await db.run(
        `INSERT INTO identities (id, contact_id, channel_type, address, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [identity.id, identity.contactId, channelType, address, now],
      );
      if (inserted.changes === 1) return identity;
      // Another instance created it between our read and write: use theirs.
      await db.run("DELETE FROM contacts WHERE id = ?", [contact.id]);
      return (await this.findIdentity(channelType, address))!;
    },

    async getIdentity(id: string): Promise<Identity | undefined> {
      const row = await db.get<IdentityRow>("SELECT * FROM identities WHERE id = ?", [id]);
      return row && toIdentity(row);
    },

    async getContact(id: string): Promise<Contact | undefined> {
      const row = await db.get<{
        id: string;
        display_name: string | null;
        created_at: number;
        updated_at: number;
      }>("SELECT * FROM contacts WHERE id = ?", [id]);
      return (
        row && {
          id: row.id,
          displayName: row.display_name,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        }
      );
    },
  };
}

export type ContactsRepository = ReturnType<typeof contactsRepository>;
