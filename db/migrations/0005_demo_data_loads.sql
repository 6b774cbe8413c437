-- Demonstration data is loaded once into the embedded default; this records that it was, so that
-- deleting demonstration experts does not bring them back at the next start.
CREATE TABLE demo_data_loads (
    name      text        PRIMARY KEY,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
