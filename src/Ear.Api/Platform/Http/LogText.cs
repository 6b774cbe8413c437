namespace Ear.Api.Platform.Http;

/// <summary>
/// What of a request may go into a log line or an audit row: bounded, so a client cannot make each of
/// its requests cost kilobytes of disk by sending a long path.
/// </summary>
internal static class LogText
{
    public const int MaxPathLength = 200;

    public static string Path(PathString path) => Cut(path.Value ?? "", MaxPathLength);

    public static string Cut(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
