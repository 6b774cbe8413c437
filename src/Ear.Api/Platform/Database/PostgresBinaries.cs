namespace Ear.Api.Platform.Database;

/// <summary>Where the machine keeps initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/N/bin.</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    public static PostgresBinaries? Find()
    {
        foreach (var directory in CandidateDirectories())
        {
            var initDb = Path.Combine(directory, "initdb");
            var pgCtl = Path.Combine(directory, "pg_ctl");
            if (File.Exists(initDb) && File.Exists(pgCtl) && File.Exists(Path.Combine(directory, "postgres")))
            {
                return new PostgresBinaries(initDb, pgCtl);
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var versions = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(d => d.Version);
            foreach (var (directory, _) in versions)
            {
                yield return Path.Combine(directory, "bin");
            }
        }
    }
}
