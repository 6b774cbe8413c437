using Ear.Api.Features.Actions;
using Ear.Api.Features.ApiKeys;
using Ear.Api.Features.Deployments;
using Ear.Api.Features.Experts;
using Ear.Api.Features.Matching;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// One realistic body per request type, typed so that a renamed property breaks the build rather than the
/// example. Codes are ones the reference data holds, so that "Try it out" runs them unchanged (ids in the
/// path or body excepted: they have to be ones the database holds).
/// </summary>
internal static class RequestExamples
{
    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(ExpertRequest)] = new ExpertRequest
        {
            GivenName = "Claire",
            FamilyName = "Dubois",
            Email = "claire.dubois@interieur.gouv.example",
            Phone = "+33 1 40 07 60 60",
            Gender = "female",
            Nationality = "FR",
            Kind = "eu_civil_servant",
            MemberState = "FR",
            Employer = "Ministère de l'Intérieur",
            Position = "Head of the labour migration unit",
            Bio = "Fifteen years on labour migration and integration policy; led two MIEUX actions in North Africa.",
            Languages = [new LanguageSkill("fr", "native"), new LanguageSkill("en", "C1"), new LanguageSkill("ar", "B1")],
            Themes = [new ThemeSkill("legal", 3), new ThemeSkill("legal.labour-migration", 3)],
            CountriesOfExperience = ["MA", "TN"],
            Unavailability = [new DatePeriod(new DateOnly(2027, 8, 1), new DateOnly(2027, 8, 31))],
            Status = "active",
            Consent = new ConsentRecord(new DateTimeOffset(2025, 1, 15, 9, 30, 0, TimeSpan.Zero), "MIEUX team", "Signed roster agreement"),
        },
        [typeof(ActionRequest)] = new ActionRequest
        {
            Code = "MIEUX-2027-04",
            Title = "Labour migration strategy for Morocco",
            RequestingAuthority = "Ministry of Economic Inclusion, Kingdom of Morocco",
            BeneficiaryCountries = ["MA"],
            Region = "neighbourhood.south",
            Themes = ["legal.labour-migration"],
            WorkingLanguages = ["fr", "en"],
            RequestedAt = new DateOnly(2027, 2, 1),
            Period = new ActionPeriod(new DateOnly(2027, 3, 1), new DateOnly(2027, 12, 31)),
        },
        [typeof(StatusChangeRequest)] = new StatusChangeRequest("in_preparation", "Request accepted by the steering committee."),
        [typeof(ActivityRequest)] = new ActivityRequest("workshop", "Workshop on circular migration schemes",
            new DateOnly(2027, 4, 12), new DateOnly(2027, 4, 14), "MA", false),
        [typeof(DeploymentRequest)] = new DeploymentRequest(Guid.Parse("0196f1a2-7c3e-7d41-9a5b-2f8e4c6d1a0b"), "lead_expert",
            new DateOnly(2027, 4, 12), new DateOnly(2027, 4, 14)),
        [typeof(CancellationRequest)] = new CancellationRequest("The beneficiary postponed the workshop."),
        [typeof(EvaluationRequest)] = new EvaluationRequest(5, "redeploy", "Clear, practical and well received by the beneficiary."),
        [typeof(ApiKeyRequest)] = new ApiKeyRequest("Focal point of Belgium", "focal_point", "BE"),
        [typeof(MatchingRequest)] = new MatchingRequest
        {
            Themes = [new ThemeWeight("legal.labour-migration", 2), new ThemeWeight("legal", 1)],
            BeneficiaryCountries = ["MA"],
            Languages = [new LanguageRequirement("fr", "C1", true), new LanguageRequirement("en", "B2", false)],
            Period = new MatchingPeriod(new DateOnly(2027, 4, 12), new DateOnly(2027, 4, 14)),
            Team = new TeamRequest(3, 1, 1, 1, 2, 1),
            Limit = 20,
        },
    };

    public static object? For(Type type) => Examples.GetValueOrDefault(type);
}
