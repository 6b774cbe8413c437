using System.Globalization;
using System.Diagnostics;

namespace Ear.Api.Platform.Database;

/// <summary>
/// initdb and postgres refuse to run as root. When the service is root, the database server runs as
/// the machine's `postgres` user (or `nobody`), through util-linux's setpriv.
/// </summary>
internal sealed record ProcessUser(string Name, int UserId, int GroupId)
{
    public static ProcessUser? UnprivilegedIfRoot()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            return null;
        }

        var accounts = File.ReadAllLines("/etc/passwd")
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= 4)
            .ToDictionary(fields => fields[0], fields => (Uid: int.Parse(fields[2], CultureInfo.InvariantCulture), Gid: int.Parse(fields[3], CultureInfo.InvariantCulture)));

        foreach (var name in new[] { "postgres", "nobody" })
        {
            if (accounts.TryGetValue(name, out var ids))
            {
                return new ProcessUser(name, ids.Uid, ids.Gid);
            }
        }

        throw new InvalidOperationException(
            "The service runs as root and the machine has neither a 'postgres' nor a 'nobody' user to run PostgreSQL as.");
    }

    public ProcessStartInfo Wrap(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("setpriv");
        foreach (var argument in new[] { $"--reuid={UserId}", $"--regid={GroupId}", "--clear-groups", "--", program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // The server inherits the working directory; root's may be unreadable to the unprivileged user.
        start.WorkingDirectory = "/";
        return start;
    }

    /// <summary>Gives the path to this user; the directories above it must let it through.</summary>
    public void Own(string path)
    {
        var chown = Process.Start("chown", ["-R", $"{UserId}:{GroupId}", path])!;
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not give {path} to the '{Name}' user.");
        }
    }
}
