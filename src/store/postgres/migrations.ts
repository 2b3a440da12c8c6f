import type { Migration } from "./migrate.js";

/**
 * The PostgreSQL schema, one versioned step at a time (see migrate.ts). Never edit a step that
 * has shipped: add the next one. Times are `timestamptz` (read back as ISO 8601 UTC), lists of
 * passage ids are `text[]`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "state",
    sql: `
      CREATE TABLE store_salt (
        id integer PRIMARY KEY CHECK (id = 1),
        salt bytea NOT NULL
      );

      CREATE TABLE answers (
        id text PRIMARY KEY,
        at timestamptz NOT NULL,
        source text NOT NULL CHECK (source IN ('discord', 'terminal', 'cli')),
        guild_id text,
        channel_id text,
        asker_hash text NOT NULL,
        question text NOT NULL,
        understood_as text,
        kind text NOT NULL CHECK (kind IN ('answer', 'overview', 'abstained')),
        mode text NOT NULL CHECK (mode IN ('quoted', 'generated')),
        passage_ids text[] NOT NULL,
        corpus_checksum text NOT NULL,
        latency_ms integer NOT NULL
      );
      CREATE INDEX answers_at ON answers (at);
      CREATE INDEX answers_asker ON answers (asker_hash);
      CREATE TABLE votes (
        answer_id text NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        voter_hash text NOT NULL,
        vote text NOT NULL CHECK (vote IN ('up', 'down')),
        comment text,
        at timestamptz NOT NULL,
        PRIMARY KEY (answer_id, voter_hash)
      );
      CREATE INDEX votes_voter ON votes (voter_hash);

      CREATE TABLE subscriptions (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        guild_id text NOT NULL,
        channel_id text NOT NULL,
        topic text NOT NULL,
        points integer NOT NULL,
        cadence text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
        minute_of_day integer NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
        weekday integer CHECK (weekday BETWEEN 0 AND 6),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        next_due_at timestamptz NOT NULL,
        pending_slot timestamptz,
        claim_owner text,
        claimed_at timestamptz,
        last_posted_at timestamptz,
        last_slot timestamptz,
        last_message_id text,
        last_corpus_checksum text,
        last_passage_ids text[]
      );
      CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

      CREATE TABLE corpus_changes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_name text NOT NULL,
        action text NOT NULL CHECK (action IN ('add', 'remove', 'replace', 'undo')),
        source text NOT NULL,
        title text NOT NULL,
        origin text NOT NULL,
        checksum text NOT NULL,
        snapshot text,
        undone boolean NOT NULL DEFAULT false
      );
      CREATE INDEX corpus_changes_source ON corpus_changes (source);

      CREATE TABLE articles (
        source text PRIMARY KEY,
        markdown text NOT NULL,
        checksum text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE corpus_state (
        id integer PRIMARY KEY CHECK (id = 1),
        checksum text,
        version bigint NOT NULL
      );
      INSERT INTO corpus_state (id, checksum, version) VALUES (1, NULL, 0);
    `,
  },
];
