-- The count of a ranked search is taken one of two ways, chosen by how common q's words are (decision 0016).
-- Through the facets (0022), PostgreSQL intersects the filters' index with q's and reads q's whole posting
-- list first: fast for a rare word, slow for one in a fifth of all profiles (190,000 entries at a million
-- experts). Through a join from experts, it stops at the 1,001st match: fast for a common word, slow for a
-- rare one, which it must look for in every expert the filters keep. ANALYZE keeps, for expert_search.document, the
-- frequency of its most common lexemes (statistics target 1,000, 0022): a q whose every lexeme is there above 5 % is common,
-- and a common word is counted through the join when no filter of the facets narrows the search (with one, the
-- join may walk most of the roster before it finds the few experts that pass).

CREATE FUNCTION ear_search_is_common(words text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    -- Every lexeme of q, not just one: "border smith" holds a rare word, which the join would seek in every expert.
    WITH lexemes AS (
        SELECT replace(q.m[1], '''''', '''') AS lexeme
        FROM regexp_matches(ear_search_query(words)::text, '''((?:[^'']|'''')*)''', 'g') AS q (m)),
    common AS (
        SELECT c.lexeme
        FROM pg_stats st, unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS c (lexeme, frequency)
        -- The frequencies array ends with three more numbers (minimum, maximum, nulls) that pair with no lexeme.
        WHERE st.schemaname = current_schema() AND st.tablename = 'expert_search' AND st.attname = 'document'
          AND c.lexeme IS NOT NULL AND c.frequency > 0.05)
    SELECT EXISTS (SELECT 1 FROM lexemes) AND NOT EXISTS (SELECT 1 FROM lexemes l WHERE NOT EXISTS (SELECT 1 FROM common c WHERE c.lexeme = l.lexeme))
$$;
COMMENT ON FUNCTION ear_search_is_common(text) IS
    'Whether every lexeme of ear_search_query(words) is in more than 5 % of expert_search.document according to the last ANALYZE: the ranked search then counts its matches through a join that stops at the limit, not through the facets'' index (ExpertSearchPage.Counts).';
