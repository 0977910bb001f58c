-- Bantin schema: the one source. Applied at every start-up, so every statement is idempotent.
-- Statements are split on ';' by Spring's script runner: no dollar-quoted bodies here.

-- Instances starting together take turns: concurrent CREATE OR REPLACE / ALTER on the same objects can
-- fail with "tuple concurrently updated". The session lock goes with the connection if start-up fails.
SELECT pg_advisory_lock(7365846348291);

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it depends on the search path); pinning the dictionary makes it safe
-- to use in a generated column and an index, which is what makes `q` diacritics-insensitive.
CREATE OR REPLACE FUNCTION bantin_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS 'SELECT lower(public.unaccent(''public.unaccent''::regdictionary, $1))';

CREATE TABLE IF NOT EXISTS categories (
  id   bigserial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL
);

CREATE TABLE IF NOT EXISTS tags (
  id   bigserial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL
);

CREATE TABLE IF NOT EXISTS bulletins (
  id           uuid PRIMARY KEY,
  slug         text NOT NULL UNIQUE,
  title        text NOT NULL,
  summary      text NOT NULL DEFAULT '',
  body         text NOT NULL DEFAULT '',
  body_text    text NOT NULL DEFAULT '',           -- the body without markup, for search only
  author       text NOT NULL DEFAULT '',
  author_slug  text NOT NULL DEFAULT '',
  category_id  bigint REFERENCES categories (id),
  language     text NOT NULL DEFAULT 'vi',
  status       text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
  published_at timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  withdrawn_at timestamptz,
  search       tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('simple', bantin_fold(title)), 'A') ||
                 setweight(to_tsvector('simple', bantin_fold(summary)), 'B') ||
                 setweight(to_tsvector('simple', bantin_fold(author)), 'B') ||
                 setweight(to_tsvector('simple', bantin_fold(body_text)), 'C')) STORED
);

-- Keyset pagination walks (published_at, id) downwards among the visible bulletins.
CREATE INDEX IF NOT EXISTS bulletins_visible_order
  ON bulletins (published_at DESC, id DESC) WHERE withdrawn_at IS NULL AND status <> 'draft';
CREATE INDEX IF NOT EXISTS bulletins_category ON bulletins (category_id, published_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS bulletins_author ON bulletins (author_slug, published_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS bulletins_search ON bulletins USING gin (search);
-- Prefix searches on slugs ("base-%") when a title's slug is taken; text_pattern_ops makes LIKE use it.
CREATE INDEX IF NOT EXISTS bulletins_slug_prefix ON bulletins (slug text_pattern_ops);
-- A finer word-frequency sample, so the planner knows a rare word is rare and takes the GIN index
-- instead of walking the newest-first index looking for it (src/bench/search/explain.sh).
ALTER TABLE bulletins ALTER COLUMN search SET STATISTICS 1000;
-- The scheduled publisher looks for due bulletins every second; this keeps that a tiny index scan.
CREATE INDEX IF NOT EXISTS bulletins_scheduled ON bulletins (published_at) WHERE status = 'scheduled';

CREATE TABLE IF NOT EXISTS bulletin_tags (
  bulletin_id uuid NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
  tag_id      bigint NOT NULL REFERENCES tags (id),
  position    smallint NOT NULL,
  PRIMARY KEY (bulletin_id, tag_id)
);
CREATE INDEX IF NOT EXISTS bulletin_tags_tag ON bulletin_tags (tag_id);

CREATE TABLE IF NOT EXISTS bulletin_images (
  bulletin_id uuid NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
  position    smallint NOT NULL,
  url         text NOT NULL,
  caption     text NOT NULL DEFAULT '',
  PRIMARY KEY (bulletin_id, position)
);
-- A photo's size in bytes and media type when the publisher gives them (issue 14): RSS's <enclosure> needs the
-- length, so without it a feed offers the photo through media:content only.
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS length bigint;
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS type text;

-- Append-only log of what happened to bulletins; streams replay it and resume from `seq`.
-- Writers take a transaction-level advisory lock before appending, so sequence numbers become
-- visible in order: a reader that has seen seq N never later discovers a smaller one.
CREATE TABLE IF NOT EXISTS bulletin_events (
  seq           bigserial PRIMARY KEY,
  bulletin_id   uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('published', 'updated', 'deleted')),
  category_slug text,
  tag_slugs     text[] NOT NULL DEFAULT '{}',
  payload       json NOT NULL,                     -- json, not jsonb: bytes kept as rendered
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS bulletin_events_created ON bulletin_events (created_at);
-- An edit keeps the category and tags the bulletin had before: subscribers following one it has just
-- left hear of it as a deletion. Null for other events (and for events written before these columns).
ALTER TABLE bulletin_events ADD COLUMN IF NOT EXISTS previous_category_slug text;
ALTER TABLE bulletin_events ADD COLUMN IF NOT EXISTS previous_tag_slugs text[];

CREATE TABLE IF NOT EXISTS api_tokens (
  id           uuid PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('publisher', 'admin')),
  token_hash   bytea NOT NULL UNIQUE,              -- SHA-256 of the secret; the secret is never stored
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

-- A retried create with the same key returns the first result instead of writing twice.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  token_id     uuid NOT NULL,
  key          text NOT NULL,
  request_hash bytea NOT NULL,
  bulletin_id  uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (token_id, key)
);

-- Change bus (issue 11): each event keeps the scopes it touched (site, taxonomy, bulletin:{id}, category:{slug},
-- tag:{slug}, author:{slug}), so every instance knows them without a query. Null for older events: "everything".
ALTER TABLE bulletin_events ADD COLUMN IF NOT EXISTS scopes text[];

-- WebSub pings follow the event log from here: the seq up to which the hub was pinged. One instance at a
-- time takes the row (FOR UPDATE SKIP LOCKED) while it pings; the row starts at the log's end.
CREATE TABLE IF NOT EXISTS websub_position (
  id        smallint PRIMARY KEY CHECK (id = 1),
  seq       bigint NOT NULL,
  pinged_at timestamptz
);
INSERT INTO websub_position (id, seq) SELECT 1, COALESCE(max(seq), 0) FROM bulletin_events ON CONFLICT (id) DO NOTHING;

-- Scope versions (issue 15): a scope's version is the newest event touching it, read on first use by every
-- instance alike; the GIN index finds it, the partial index finds events logged before scopes were kept.
CREATE INDEX IF NOT EXISTS bulletin_events_scopes ON bulletin_events USING gin (scopes);
CREATE INDEX IF NOT EXISTS bulletin_events_unscoped ON bulletin_events (seq) WHERE scopes IS NULL;

-- Varnish soft purges (issue 15) follow the event log like the WebSub pings, one position per Varnish node
-- (a node that is down holds back no other and catches up when back); a node's row starts at the log's end.
CREATE TABLE IF NOT EXISTS log_positions (
  follower  text PRIMARY KEY,
  seq       bigint NOT NULL,
  moved_at  timestamptz
);

-- Media (issue 20): photos the newsroom uploads. The bytes of their renditions live here, beside the bulletins, so
-- every instance serves them and a pg_dump backs them up together; the upload itself is never kept (it may carry a
-- reporter's GPS position). `key` is a hash of the renditions' bytes, the immutable part of their URLs.
CREATE TABLE IF NOT EXISTS media (
  id         uuid PRIMARY KEY,
  key        text NOT NULL,
  alt        text NOT NULL DEFAULT '',
  caption    text NOT NULL DEFAULT '',
  credit     text NOT NULL DEFAULT '',
  token_id   uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS media_key ON media (key);
CREATE INDEX IF NOT EXISTS media_order ON media (created_at DESC, id DESC);

CREATE TABLE IF NOT EXISTS media_files (
  media_id uuid NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  width    integer NOT NULL,
  height   integer NOT NULL,
  type     text NOT NULL,
  length   integer NOT NULL,
  bytes    bytea NOT NULL,
  PRIMARY KEY (media_id, width)
);
-- JPEG and PNG bytes do not compress: storing them as they are saves TOAST the attempt.
ALTER TABLE media_files ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- An upload retried with its Idempotency-Key returns the first photo (keys of media are kept as "media:<key>").
ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS media_id uuid;

-- A bulletin's photo that names an uploaded one: what its readers are told of it, copied at write time (a photo's
-- files never change). renditions is the JSON array of every size kept.
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS media_id uuid;
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS alt text;
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS width integer;
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS height integer;
ALTER TABLE bulletin_images ADD COLUMN IF NOT EXISTS renditions text;
CREATE INDEX IF NOT EXISTS bulletin_images_media ON bulletin_images (media_id) WHERE media_id IS NOT NULL;

SELECT pg_advisory_unlock(7365846348291);
