-- Ids minted inside set-based statements, in the same scheme as newId() of
-- core/src/shared/ids.ts: `<prefix>_` + base58 of 16 bytes = 6 bytes of Unix milliseconds of
-- `at` (big-endian) + 10 bytes, random, or the first 10 bytes of md5(seed) when a seed is given
-- (a deterministic id: the same seed and time give the same id, so a rerun inserts nothing new
-- under ON CONFLICT DO NOTHING).
CREATE OR REPLACE FUNCTION up_new_id(prefix text, at timestamptz, seed text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
  b bytea := substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3 FOR 6)
          || substring(CASE WHEN seed IS NULL THEN uuid_send(gen_random_uuid()) ELSE decode(md5(seed), 'hex') END FROM 1 FOR 10);
  n numeric := 0;
  out text := '';
  i int;
BEGIN
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
