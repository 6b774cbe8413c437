using Npgsql;
using NpgsqlTypes;

namespace Ear.Api.DemoData;

/// <summary>
/// Writes the demonstration story with binary COPY, parents before children: experts, actions and their
/// status moves, activities, deployments (whose trigger records who the expert was at booking), evaluations.
/// </summary>
internal static class DemoStoryCopy
{
    public static async Task WriteAsync(NpgsqlConnection connection, DemoStory story, CancellationToken cancellationToken)
    {
        await DemoRosterCopy.WriteAsync(connection, () => story.Experts, cancellationToken);

        await using (var actions = await connection.BeginBinaryImportAsync("""
            COPY actions (id, code, title, requesting_authority, beneficiary_countries, regional_organisation, region, themes,
                          working_languages, requested_at, period, status, created_at, updated_at, version)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var a in story.Actions)
            {
                await actions.StartRowAsync(cancellationToken);
                await actions.WriteAsync(a.Id, NpgsqlDbType.Uuid, cancellationToken);
                await actions.WriteAsync(a.Code, NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(a.Title, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(actions, a.RequestingAuthority, NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(a.BeneficiaryCountries, NpgsqlDbType.Array | NpgsqlDbType.Char, cancellationToken);
                await WriteNullableAsync(actions, a.RegionalOrganisation, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(actions, a.Region, NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(a.Themes, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(a.WorkingLanguages, NpgsqlDbType.Array | NpgsqlDbType.Char, cancellationToken);
                await actions.WriteAsync(a.RequestedAt, NpgsqlDbType.Date, cancellationToken);
                if (a.From is { } from)
                {
                    // An action still running has no last day yet: the range is open above.
                    var period = a.To is { } to
                        ? new NpgsqlRange<DateOnly>(from, true, to, true)
                        : new NpgsqlRange<DateOnly>(from, true, false, default, false, true);
                    await actions.WriteAsync(period, NpgsqlDbType.DateRange, cancellationToken);
                }
                else
                {
                    await actions.WriteNullAsync(cancellationToken);
                }

                await actions.WriteAsync(a.Status, NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(a.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await actions.WriteAsync(a.History[^1].At, NpgsqlDbType.TimestampTz, cancellationToken);
                await actions.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            }

            await actions.CompleteAsync(cancellationToken);
        }

        await using (var moves = await connection.BeginBinaryImportAsync(
            "COPY action_status_changes (action_id, from_status, to_status, note, changed_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var a in story.Actions)
            {
                foreach (var (from, to, at) in a.History)
                {
                    await moves.StartRowAsync(cancellationToken);
                    await moves.WriteAsync(a.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await WriteNullableAsync(moves, from, NpgsqlDbType.Text, cancellationToken);
                    await moves.WriteAsync(to, NpgsqlDbType.Text, cancellationToken);
                    await moves.WriteAsync(a.Note, NpgsqlDbType.Text, cancellationToken);
                    await moves.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await moves.CompleteAsync(cancellationToken);
        }

        await using (var activities = await connection.BeginBinaryImportAsync(
            "COPY activities (id, action_id, type, title, period, country, remote, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var a in story.Activities)
            {
                await activities.StartRowAsync(cancellationToken);
                await activities.WriteAsync(a.Id, NpgsqlDbType.Uuid, cancellationToken);
                await activities.WriteAsync(a.Action.Id, NpgsqlDbType.Uuid, cancellationToken);
                await activities.WriteAsync(a.Type, NpgsqlDbType.Text, cancellationToken);
                await activities.WriteAsync(a.Title, NpgsqlDbType.Text, cancellationToken);
                await activities.WriteAsync(new NpgsqlRange<DateOnly>(a.From, true, a.To, true), NpgsqlDbType.DateRange, cancellationToken);
                await WriteNullableAsync(activities, a.Country, NpgsqlDbType.Char, cancellationToken);
                await activities.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await activities.WriteAsync(a.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await activities.CompleteAsync(cancellationToken);
        }

        await using (var deployments = await connection.BeginBinaryImportAsync(
            "COPY deployments (id, activity_id, expert_id, role, period, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var d in story.Deployments)
            {
                await deployments.WriteRowAsync(cancellationToken, d.Id, d.Activity.Id, d.ExpertId, d.Role,
                    new NpgsqlRange<DateOnly>(d.Activity.From, true, d.Activity.To, true), d.CreatedAt);
            }

            await deployments.CompleteAsync(cancellationToken);
        }

        await using (var evaluations = await connection.BeginBinaryImportAsync(
            "COPY evaluations (deployment_id, rating, recommendation, evaluated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var d in story.Deployments)
            {
                if (d.Evaluation is { } e)
                {
                    await evaluations.WriteRowAsync(cancellationToken, d.Id, e.Rating, e.Recommendation, e.EvaluatedAt);
                }
            }

            await evaluations.CompleteAsync(cancellationToken);
        }
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}
