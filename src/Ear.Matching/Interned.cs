using System.Collections.Concurrent;

namespace Ear.Matching;

/// <summary>
/// Theme codes as small integers, so that scoring looks a code's value up in an array instead of
/// hashing a string, for every candidate of every request.
/// </summary>
internal static class ThemeIds
{
    private static readonly ConcurrentDictionary<string, int> Ids = new(StringComparer.Ordinal);

    public static int Count => Ids.Count;

    public static int Of(string code) => Ids.GetOrAdd(code, _ => Ids.Count);
}

/// <summary>A set of ISO 3166-1 alpha-2 countries as 676 bits (AA to ZZ): intersections are a few AND operations.</summary>
internal readonly struct CountrySet
{
    private const int Words = 11;
    private readonly ulong[] _bits;

    private CountrySet(ulong[] bits) => _bits = bits;

    public static CountrySet Of(IEnumerable<string> countries)
    {
        var bits = new ulong[Words];
        foreach (var country in countries)
        {
            if (country.Length == 2 && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1]))
            {
                var index = (country[0] - 'A') * 26 + (country[1] - 'A');
                bits[index >> 6] |= 1UL << (index & 63);
            }
        }

        return new CountrySet(bits);
    }

    public bool Overlaps(CountrySet other)
    {
        for (var i = 0; i < Words; i++)
        {
            if ((_bits[i] & other._bits[i]) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
