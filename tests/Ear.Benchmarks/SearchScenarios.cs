namespace Ear.Benchmarks;

/// <summary>First pages a MIEUX script asks for: filters alone, free text alone, and both.</summary>
internal static class SearchScenarios
{
    public static readonly (string Name, string Query)[] All =
    [
        ("first page, no filter", "limit=50"),
        ("filtered: theme+language>=B2+origin", "theme=irregular&language=fr&minLevel=B2&origin=eu&limit=50"),
        ("filtered: region+availability+status", "regionOfExperience=africa.west&availableFrom=2027-03-01&availableTo=2027-03-10&status=active&limit=50"),
        ("filtered: nationality", "nationality=SN&limit=50"),
        ("q: a name", "q=Ferreira&limit=50"),
        ("q: a common theme word", "q=trafficking&limit=50"),
        ("q + filters", "q=fronteras&language=es&minLevel=C1&origin=eu&limit=50"),
    ];
}
