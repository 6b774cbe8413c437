namespace Ear.Api.Features.CvDocuments;

/// <summary>
/// Where an upload waits while it is inspected: a folder only this user can enter, files only this user
/// can read, each removed from the folder as soon as it is open, so that not even a crash leaves a CV behind.
/// </summary>
internal static class CvTempFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "ear-cv");

    public static FileStream Create()
    {
        EnsurePrivateFolder();
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.upload");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, options);
        }

        options.UnixCreateMode = OwnerOnlyFile;
        var file = new FileStream(path, options);
        // The open handle keeps the data; the name goes now, so nothing is left even after kill -9.
        File.Delete(path);
        return file;
    }

    /// <summary>
    /// Removes what a crashed run left (on Windows, where an open file cannot lose its name, or from a
    /// version that kept names). Files another running instance still holds open are skipped.
    /// </summary>
    public static void RemoveLeftovers()
    {
        EnsurePrivateFolder();
        foreach (var leftover in Directory.EnumerateFiles(Folder))
        {
            try
            {
                File.Delete(leftover);
            }
            catch (IOException)
            {
                // In use by another instance; it deletes its own on close.
            }
        }
    }

    /// <summary>
    /// Creates the folder as 0700, and refuses one that is a link or that another user made: the
    /// temporary directory is shared, and someone could have prepared the name for us.
    /// </summary>
    private static void EnsurePrivateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }

        var folder = Directory.CreateDirectory(Folder, OwnerOnlyFolder);
        if (folder.LinkTarget is not null)
        {
            throw new IOException($"{Folder} is a link; CV uploads need a private folder there.");
        }

        if (folder.UnixFileMode != OwnerOnlyFolder)
        {
            // Only the owner may change the mode, so this also fails when the folder is someone else's.
            File.SetUnixFileMode(Folder, OwnerOnlyFolder);
        }
    }
}

/// <summary>Clears <see cref="CvTempFiles.Folder"/> of a crashed run's files when the service starts.</summary>
internal sealed class CvTempFileCleanup : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        CvTempFiles.RemoveLeftovers();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
