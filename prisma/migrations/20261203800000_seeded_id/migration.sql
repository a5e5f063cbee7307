-- An id minted from a seed (up_new_id with its seed) is a function of its inputs alone: the
-- same prefix, time and seed give the same id. Declared IMMUTABLE, as a function of its own, so
-- that a set-based INSERT … SELECT minting seeded ids can run where its rows are (on a database
-- sharded by tenant, on the tenant's shard: a VOLATILE function in the SELECT makes Citus pull
-- the rows through the coordinator, which row-level security refuses). The bytes are exactly
-- up_new_id's with a seed, so ids already written are the ids a rerun mints.
CREATE OR REPLACE FUNCTION up_seeded_id(prefix text, at timestamptz, seed text)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  b bytea;
  n numeric := 0;
  out text := '';
  i int;
BEGIN
  IF seed IS NULL OR at IS NULL THEN
    RAISE EXCEPTION 'up_seeded_id needs a time and a seed';
  END IF;
  b := substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3 FOR 6)
       || substring(decode(md5(seed), 'hex') FROM 1 FOR 10);
  FOR i IN 0..15 LOOP
    n := n * 256 + get_byte(b, i);
  END LOOP;
  WHILE n > 0 LOOP
    out := substr('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', (n % 58)::int + 1, 1) || out;
    n := div(n, 58);
  END LOOP;
  FOR i IN 0..15 LOOP
    EXIT WHEN get_byte(b, i) <> 0;
    out := '1' || out;
  END LOOP;
  RETURN prefix || '_' || out;
END $$;
