namespace Ear.Matching;

/// <summary>Why a candidate cannot be proposed at all, whatever its score.</summary>
public enum Exclusion
{
    Inactive,
    NoConsent,
    RequiredLanguage,
    Unavailable,
    AlreadyDeployed,
    ConflictOfInterest,
    DoNotRedeploy,
    ExcludedByRequest,
}

public static class HardRules
{
    public static string Name(Exclusion reason) => reason switch
    {
        Exclusion.Inactive => "inactive",
        Exclusion.NoConsent => "no_consent",
        Exclusion.RequiredLanguage => "required_language",
        Exclusion.Unavailable => "unavailable",
        Exclusion.AlreadyDeployed => "already_deployed",
        Exclusion.ConflictOfInterest => "conflict_of_interest",
        Exclusion.DoNotRedeploy => "do_not_redeploy",
        Exclusion.ExcludedByRequest => "excluded_by_request",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>Every hard rule the candidate fails, in a fixed order (empty when it may be proposed).</summary>
    public static List<Exclusion> Failed(Candidate candidate, MatchCriteria criteria)
    {
        var failed = new List<Exclusion>(0);
        if (!candidate.IsActive)
        {
            failed.Add(Exclusion.Inactive);
        }

        if (!candidate.HasConsent)
        {
            failed.Add(Exclusion.NoConsent);
        }

        foreach (var need in criteria.Languages)
        {
            if (need.Required && candidate.Languages.GetValueOrDefault(need.Code) < need.MinRank)
            {
                failed.Add(Exclusion.RequiredLanguage);
                break;
            }
        }

        foreach (var off in candidate.Unavailability)
        {
            if (off.Overlaps(criteria.Period))
            {
                failed.Add(Exclusion.Unavailable);
                break;
            }
        }

        var redeployable = true;
        var booked = false;
        foreach (var deployment in candidate.Deployments)
        {
            booked |= deployment.Days.Overlaps(criteria.Period);
            redeployable &= deployment.Recommendation != Recommendation.DoNotRedeploy;
        }

        if (booked)
        {
            failed.Add(Exclusion.AlreadyDeployed);
        }

        if (criteria.BeneficiaryCountries.Contains(candidate.Nationality))
        {
            failed.Add(Exclusion.ConflictOfInterest);
        }

        if (!redeployable)
        {
            failed.Add(Exclusion.DoNotRedeploy);
        }

        if (criteria.Excluded.Contains(candidate.Id))
        {
            failed.Add(Exclusion.ExcludedByRequest);
        }

        return failed;
    }

    /// <summary>The rule in words a person understands.</summary>
    public static string Explain(Exclusion reason, Candidate candidate, MatchCriteria criteria) => reason switch
    {
        Exclusion.Inactive => "The expert is marked inactive.",
        Exclusion.NoConsent => "No consent to be on the roster is recorded, so the expert is never proposed.",
        Exclusion.RequiredLanguage => "Does not speak " + string.Join(" and ", criteria.Languages
            .Where(l => l.Required && candidate.Languages.GetValueOrDefault(l.Code) < l.MinRank)
            .Select(l => $"{l.Code} at the required level")) + ".",
        Exclusion.Unavailable => "Declared unavailable on some days of the period.",
        Exclusion.AlreadyDeployed => "Already deployed on some days of the period.",
        Exclusion.ConflictOfInterest => $"A national of a beneficiary country ({candidate.Nationality}): conflict of interest.",
        Exclusion.DoNotRedeploy => "A past evaluation recommended not to redeploy this expert.",
        Exclusion.ExcludedByRequest => "Excluded by the request (excludeExpertIds).",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
