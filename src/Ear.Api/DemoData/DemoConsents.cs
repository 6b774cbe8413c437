using Dapper;
using Npgsql;

namespace Ear.Api.DemoData;

/// <summary>
/// Consent by purpose and re-confirmation dates for the experts just copied, with a realistic spread (decision 0022):
/// every consenting expert agreed to roster membership, most to the other purposes; a few withdrew one later; most
/// profiles were confirmed in the last 30 months, some are due within the notice period and about 3 % are overdue
/// (the first retention run suspends them). Written in one statement, as the roster is copied, not through
/// ConsentWrites: a bulk load has no effects to apply, and the pool's consent dates stay those of the generator, so
/// the published figures do not move. Each expert's share is read from an md5 of its id, so a load is reproducible.
/// </summary>
internal static class DemoConsents
{
    public static Task WriteAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            CREATE TEMPORARY TABLE demo_shares ON COMMIT DROP AS
            SELECT e.id, e.consent_recorded_at AS agreed, e.created_at,
                   abs(('x' || substr(md5(e.id::text), 1, 8))::bit(32)::int) % 1000 AS h
            FROM experts e
            WHERE e.erased_at IS NULL AND e.consent_recorded_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM expert_consents c WHERE c.expert_id = e.id);

            INSERT INTO expert_consents (expert_id, purpose, basis, note, recorded_at, withdrawn_at, withdrawal_note)
            SELECT s.id, p.purpose,
                   CASE WHEN s.h % 3 = 0 THEN 'expert_declaration' ELSE 'focal_point_written_agreement' END,
                   'Demonstration data: synthetic consent', s.agreed,
                   CASE WHEN s.h BETWEEN p.withdrawn_from AND p.withdrawn_to
                        THEN least(s.agreed + make_interval(days => 30 + s.h * 7 % 900), now()) END,
                   CASE WHEN s.h BETWEEN p.withdrawn_from AND p.withdrawn_to THEN 'Demonstration data: synthetic withdrawal' END
            FROM demo_shares s
            CROSS JOIN (VALUES ('roster_membership', 0, 14, -1, -1), ('cv_sharing', 15, 39, 10, 9),
                               ('evaluation_use', 40, 54, 20, 7), ('cv_text_extraction', 55, 69, 8, 3))
                AS p (purpose, withdrawn_from, withdrawn_to, never_modulo, never_rest)
            WHERE p.never_modulo < 0 OR s.h % p.never_modulo <> p.never_rest;

            UPDATE experts e SET confirmed_at = greatest(s.created_at, s.agreed, CASE
                    WHEN s.h < 900 THEN now() - make_interval(months => s.h % 30)
                    WHEN s.h < 970 THEN now() - make_interval(months => 34, days => s.h % 50)
                    ELSE now() - make_interval(months => 37 + s.h % 4) END)
            FROM demo_shares s WHERE e.id = s.id;
            """, cancellationToken: cancellationToken));
}
