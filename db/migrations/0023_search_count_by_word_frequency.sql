-- The count of a ranked search is taken one of two ways, chosen by how common q's words are (decision 0016).
-- Through the facets (0022), PostgreSQL intersects the filters' index with q's and reads q's whole posting
-- list first: fast for a rare word, slow for one in a fifth of all profiles (190,000 entries at a million
-- experts). Through a join from experts, it stops at the 1,001st match: fast for a common word, slow for a
-- rare one, which it must look for in every expert the filters keep. ANALYZE keeps, per search column, the
-- frequency of its most common lexemes (statistics target 1,000, 0022): a word found there above 5 % is common,
-- and a common word is counted through the join when no filter of the facets narrows the search (with one, the
-- join may walk most of the roster before it finds the few experts that pass).

CREATE FUNCTION ear_search_is_common(words text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1
        FROM pg_stats st,
             unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS common (lexeme, frequency),
             regexp_matches(ear_search_query(words)::text, '''((?:[^'']|'''')*)''', 'g') AS q (m)
        WHERE st.schemaname = current_schema() AND st.tablename = 'expert_search' AND st.attname = 'document'
          AND common.lexeme = replace(q.m[1], '''''', '''') AND common.frequency > 0.05)
$$;
COMMENT ON FUNCTION ear_search_is_common(text) IS
    'Whether a lexeme of ear_search_query(words) is in more than 5 % of expert_search.document according to the last ANALYZE: the ranked search then counts its matches through a join that stops at the limit, not through the facets'' index (ExpertSearchPage.Counts).';
