namespace Ear.Api.Tests.Infrastructure;

/// <summary>The 71 actions of the 2009-2015 publication (db/seed, the published record; see docs/domain.md).</summary>
internal static class HistoricalRecord
{
    public static string Path => RepositoryRoot.Find("db/seed/mieux-actions-2009-2015.json");
}

internal static class RepositoryRoot
{
    /// <summary>A path relative to the repository root (the folder holding Ear.sln).</summary>
    public static string Find(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Ear.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory.FullName, relative));
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: Ear.sln was not found above " + AppContext.BaseDirectory);
    }
}
