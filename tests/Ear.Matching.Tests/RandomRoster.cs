using Ear.Matching;

namespace Ear.Matching.Tests;

internal static class RandomRoster
{
    private static readonly string[] Themes = ["irregular", "irregular.trafficking", "irregular.border-management", "legal.labour-migration", "development.diaspora"];
    private static readonly string[] Nationalities = ["FR", "ES", "NL", "SN", "BO", "AR", "MA"];

    public static List<Candidate> Make(Random random, int count) => Enumerable.Range(0, count).Select(i =>
    {
        var kind = (ExpertKind)random.Next(0, 7);
        var nationality = Nationalities[random.Next(Nationalities.Length)];
        var deployments = Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
        {
            var from = new DateOnly(2020, 1, 1).AddDays(random.Next(0, 2500));
            return new PastDeployment(new DayRange(from, from.AddDays(3)), [Nationalities[random.Next(Nationalities.Length)] == "FR" ? "PE" : "BO"],
                [Themes[random.Next(Themes.Length)]], random.Next(0, 2) == 0 ? null : random.Next(1, 6), null);
        }).Where(d => d.Days.To < new DateOnly(2027, 3, 1)).ToList();
        return new Candidate
        {
            Id = new Guid(i + 1, (short)random.Next(), 0, new byte[8]),
            Kind = kind,
            Nationality = nationality,
            MemberState = kind == ExpertKind.EuCivilServant ? nationality : null,
            IsWoman = random.Next(0, 2) == 0,
            Gender = "female",
            IsActive = true,
            HasConsent = true,
            Languages = new Dictionary<string, int> { ["es"] = random.Next(0, 8), ["en"] = random.Next(3, 8) },
            Themes = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Themes[random.Next(Themes.Length)]).Distinct().ToDictionary(t => t, _ => random.Next(1, 4)),
            CountriesOfExperience = random.Next(0, 3) == 0 ? new HashSet<string> { "PE" } : new HashSet<string>(),
            Unavailability = [],
            Deployments = deployments,
        };
    }).ToList();
}
