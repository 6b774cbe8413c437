namespace Ear.Matching;

/// <summary>CEFR levels A1 to C2, then native, as ranks 1 to 7 so that "at least B2" is a comparison.</summary>
public static class LanguageLevels
{
    public const int Native = 7;

    private static readonly Dictionary<string, int> Ranks = new(StringComparer.Ordinal)
    {
        ["A1"] = 1, ["A2"] = 2, ["B1"] = 3, ["B2"] = 4, ["C1"] = 5, ["C2"] = 6, ["native"] = Native,
    };

    public static IReadOnlyCollection<string> All => Ranks.Keys;

    public static bool TryRank(string? level, out int rank)
    {
        rank = 0;
        return level is not null && Ranks.TryGetValue(level, out rank);
    }

    public static string Describe() => string.Join(", ", Ranks.Keys);
}
