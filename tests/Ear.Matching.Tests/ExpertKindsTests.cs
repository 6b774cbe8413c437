using Ear.Matching;

namespace Ear.Matching.Tests;

public sealed class ExpertKindsTests
{
    [TestCase(ExpertKind.EuCivilServant, Origin.Eu)]
    [TestCase(ExpertKind.SouthCivilServant, Origin.South)]
    [TestCase(ExpertKind.Academic, Origin.Other)]
    [TestCase(ExpertKind.Ngo, Origin.Other)]
    [TestCase(ExpertKind.PrivateConsultant, Origin.Other)]
    [TestCase(ExpertKind.EuAgency, Origin.Other)]
    [TestCase(ExpertKind.InternationalOrganisation, Origin.Other)]
    public void Each_kind_counts_in_one_origin_of_the_team_mix(ExpertKind kind, Origin expected) =>
        Assert.That(ExpertKinds.OriginOf(kind), Is.EqualTo(expected));

    [TestCase(ExpertKind.EuCivilServant, true)]
    [TestCase(ExpertKind.SouthCivilServant, true)]
    [TestCase(ExpertKind.EuAgency, false)]
    [TestCase(ExpertKind.Academic, false)]
    public void Civil_servants_are_the_administrations_staff(ExpertKind kind, bool expected) =>
        Assert.That(ExpertKinds.IsCivilServant(kind), Is.EqualTo(expected));
}
