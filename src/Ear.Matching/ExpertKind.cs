namespace Ear.Matching;

/// <summary>What an expert is, as the roster records it.</summary>
public enum ExpertKind
{
    EuCivilServant,
    SouthCivilServant,
    Academic,
    Ngo,
    PrivateConsultant,
    EuAgency,
    InternationalOrganisation,
}

/// <summary>How an expert counts in a team's mix.</summary>
public enum Origin
{
    Eu,
    South,
    Other,
}

public static class ExpertKinds
{
    /// <summary>
    /// EU means a member-state administration, South a non-EU administration; academics, NGOs,
    /// consultants, EU agencies and international organisations are "other" (docs/domain.md, Experts).
    /// </summary>
    public static Origin OriginOf(ExpertKind kind) => kind switch
    {
        ExpertKind.EuCivilServant => Origin.Eu,
        ExpertKind.SouthCivilServant => Origin.South,
        _ => Origin.Other,
    };

    public static bool IsCivilServant(ExpertKind kind) => kind is ExpertKind.EuCivilServant or ExpertKind.SouthCivilServant;
}
