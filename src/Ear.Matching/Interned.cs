namespace Ear.Matching;

/// <summary>
/// Codes (theme codes, nationalities, genders) as small dense ids, so that scoring looks a code's value up
/// in an array instead of hashing a string for every candidate of every request, and a column holds two
/// bytes per expert instead of a reference. Ids are never reused or forgotten.
/// </summary>
internal sealed class CodeIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _codes = [];

    public int Count => _ids.Count;

    public int Intern(string code)
    {
        if (!_ids.TryGetValue(code, out var id))
        {
            _ids[code] = id = _ids.Count;
            _codes.Add(code);
        }

        return id;
    }

    /// <summary>The code of an id <see cref="Intern"/> gave.</summary>
    public string Code(int id) => _codes[id];

    /// <summary>The code's id, or -1 when no expert of the roster ever held it.</summary>
    public int Find(string code) => _ids.GetValueOrDefault(code, -1);
}

/// <summary>
/// Distinct sets of small ids (the countries of a deployment, the themes of its action) as dense ids.
/// Many deployments share one set (every expert of an activity), so a request decides what each set
/// is worth once, and scoring a deployment is an array lookup.
/// </summary>
internal sealed class SetIds
{
    private readonly Dictionary<int[], int> _ids = new(SetComparer.Instance);
    private readonly List<int[]> _sets = [];

    public IReadOnlyList<int[]> Sets => _sets;

    public int Intern(IEnumerable<int> members)
    {
        var set = members.Where(m => m >= 0).Distinct().Order().ToArray();
        if (!_ids.TryGetValue(set, out var id))
        {
            _ids[set] = id = _sets.Count;
            _sets.Add(set);
        }

        return id;
    }

    private sealed class SetComparer : IEqualityComparer<int[]>
    {
        public static readonly SetComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] set)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(set.AsSpan()));
            return hash.ToHashCode();
        }
    }
}

/// <summary>ISO 3166-1 alpha-2 codes as numbers 0 to 675 (AA to ZZ), so that country sets are arrays of flags.</summary>
internal static class CountryIndex
{
    public const int Count = 26 * 26;

    private static readonly string[] Codes = Enumerable.Range(0, Count).Select(i => string.Concat((char)('A' + i / 26), (char)('A' + i % 26))).ToArray();

    /// <summary>The code of a number <see cref="Of"/> gave.</summary>
    public static string Code(int index) => Codes[index];

    /// <summary>The code's number, or -1 when it is not two capital letters.</summary>
    public static short Of(string? country) =>
        country is { Length: 2 } && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1])
            ? (short)((country[0] - 'A') * 26 + (country[1] - 'A'))
            : (short)-1;

    /// <summary>One flag per country number, set for these countries.</summary>
    public static bool[] Flags(IEnumerable<string> countries)
    {
        var flags = new bool[Count];
        foreach (var country in countries)
        {
            if (Of(country) is >= 0 and var index)
            {
                flags[index] = true;
            }
        }

        return flags;
    }
}
