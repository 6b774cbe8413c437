using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// The schema of a database as db/schema.sql holds it: pg_dump --schema-only, without owners and
/// privileges (they belong to the installation, not to the migrations), with the lines that change from
/// one run or patch release to the next taken out.
/// </summary>
internal static partial class SchemaDump
{
    private static string Header(int major) => $"""
        -- The schema a database has after every migration of db/migrations: generated, do not edit.
        -- Refresh it after adding a migration:
        --   EAR_UPDATE_SCHEMA=1 dotnet test tests/Ear.Api.Tests --filter SchemaSnapshotTests
        -- (pg_dump --schema-only --no-owner --no-privileges, PostgreSQL {major}, version-dependent lines removed)

        """;

    /// <summary>The normalised dump, or null and why not when no pg_dump of the server's major version is on this machine.</summary>
    public static async Task<(string? Dump, string? Missing)> OfAsync(string connectionString)
    {
        var major = await ServerMajorVersionAsync(connectionString);
        var pgDump = Locate(major);
        if (pgDump is null)
        {
            return (null, $"No pg_dump of PostgreSQL {major} (the server's version) on PATH or in /usr/lib/postgresql/{major}/bin.");
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgDump, ["--schema-only", "--no-owner", "--no-privileges",
            "--host", settings.Host ?? "localhost", "--port", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", settings.Username ?? "postgres", "--no-password", settings.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["PGPASSWORD"] = settings.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{pgDump} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {await error}");
        }

        return (Header(major) + Normalise(await output), null);
    }

    /// <summary>
    /// Takes out what differs between two dumps of the same schema: the versions in the header, the
    /// random key of \restrict (15.14 and later), the session SET lines of the pg_dump release; and
    /// folds runs of blank lines.
    /// </summary>
    internal static string Normalise(string dump)
    {
        var kept = dump.ReplaceLineEndings("\n").Split('\n')
            .Where(line => !VaryingLine().IsMatch(line));
        var text = string.Join('\n', kept);
        text = BlankRuns().Replace(text, "\n\n");
        return text.Trim('\n') + "\n";
    }

    /// <summary>The major version of PostgreSQL a dump made by <see cref="OfAsync"/> says it came from.</summary>
    internal static int? DumpedBy(string dump)
    {
        var match = HeaderVersion().Match(dump);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static async Task<int> ServerMajorVersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int / 10000", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>pg_dump refuses a newer server and writes differently across major versions: the server's own is wanted.</summary>
    private static string? Locate(int major)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "pg_dump"))
            .Prepend($"/usr/lib/postgresql/{major}/bin/pg_dump");
        return candidates.FirstOrDefault(path => File.Exists(path) && MajorVersionOf(path) == major);
    }

    private static int? MajorVersionOf(string pgDump)
    {
        using var process = Process.Start(new ProcessStartInfo(pgDump, ["--version"]) { RedirectStandardOutput = true });
        var version = process?.StandardOutput.ReadToEnd() ?? "";
        process?.WaitForExit();
        var match = VersionNumber().Match(version);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^(\\(un)?restrict |-- Dumped (from|by) |SELECT pg_catalog\.set_config\('search_path'|SET (statement_timeout|lock_timeout|idle_in_transaction_session_timeout|transaction_timeout|client_encoding|standard_conforming_strings|check_function_bodies|xmloption|client_min_messages|row_security|default_tablespace|default_table_access_method) = )")]
    private static partial Regex VaryingLine();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();

    [GeneratedRegex(@"^-- \(pg_dump .*, PostgreSQL (\d+),", RegexOptions.Multiline)]
    private static partial Regex HeaderVersion();

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex VersionNumber();
}
