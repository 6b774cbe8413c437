namespace Ear.Api.Auth;

internal static class Roles
{
    public const string Admin = "admin";
    public const string FocalPoint = "focal_point";
    public const string Reader = "reader";

    public static readonly string[] All = [Admin, FocalPoint, Reader];
}

internal static class Policies
{
    public const string Admin = "admin";

    /// <summary>Matching and reports: the MIEUX team and other ICMPD systems, not focal points.</summary>
    public const string AdminOrReader = "admin-or-reader";

    /// <summary>Roster writes: the MIEUX team, and focal points for their own member state.</summary>
    public const string RosterWriter = "roster-writer";
}
