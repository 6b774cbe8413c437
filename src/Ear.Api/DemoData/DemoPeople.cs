namespace Ear.Api.DemoData;

/// <summary>
/// Names and telephone numbers that fit a demonstration expert's nationality and gender: given names
/// come from a list per gender of the nationality's naming tradition, family names in the form that
/// tradition gives a man or a woman (Kowalski, Kowalska), and mobile numbers in the country's own plan.
/// </summary>
internal static class DemoPeople
{
    /// <summary>Given names by gender and family names (male|female where the tradition inflects them) of one naming tradition.</summary>
    internal sealed record NameList(string[] Women, string[] Men, string[] Families)
    {
        public static string FamilyFor(string entry, bool woman) => entry.Split('|') is [var male, var female] ? (woman ? female : male) : entry;
    }

    private static readonly Dictionary<string, NameList> Traditions = new(StringComparer.Ordinal)
    {
        ["fr"] = new(["Marie", "Sophie", "Camille", "Claire", "Hélène", "Isabelle", "Nathalie"], ["Jean", "Pierre", "Nicolas", "Julien", "Thomas", "Olivier", "François"],
            ["Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "Laurent", "Garnier"]),
        ["nl"] = new(["Anke", "Sanne", "Eva", "Lotte", "Marieke", "Els"], ["Pieter", "Jeroen", "Bas", "Daan", "Koen", "Wouter"],
            ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Peeters", "Maes"]),
        ["es"] = new(["María", "Lucía", "Carmen", "Elena", "Paula", "Marta"], ["José", "Javier", "Alejandro", "Pablo", "Diego", "Andrés"],
            ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"]),
        ["it"] = new(["Giulia", "Francesca", "Chiara", "Sara", "Valentina", "Elisa"], ["Marco", "Luca", "Alessandro", "Matteo", "Davide", "Paolo"],
            ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"]),
        ["pt"] = new(["Ana", "Inês", "Mariana", "Beatriz", "Joana", "Catarina"], ["João", "Pedro", "Tiago", "Rui", "Miguel", "Nuno"],
            ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Gonçalves"]),
        ["en"] = new(["Emma", "Olivia", "Sarah", "Laura", "Rachel", "Siobhan"], ["James", "William", "David", "Michael", "Andrew", "Ciaran"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "O'Connor"]),
        ["de"] = new(["Anna", "Julia", "Lena", "Katharina", "Sabine", "Birgit"], ["Lukas", "Felix", "Jonas", "Stefan", "Markus", "Florian"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"]),
        ["hu"] = new(["Eszter", "Katalin", "Zsófia", "Anna", "Judit", "Réka"], ["Gábor", "László", "Péter", "Zoltán", "Balázs", "Attila"],
            ["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga"]),
        ["pl"] = new(["Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Monika", "Ewa"], ["Piotr", "Tomasz", "Krzysztof", "Paweł", "Marcin", "Michał"],
            ["Nowak", "Kowalski|Kowalska", "Wiśniewski|Wiśniewska", "Wójcik", "Kamiński|Kamińska", "Lewandowski|Lewandowska"]),
        ["south-slavic"] = new(["Maja", "Nina", "Ivana", "Petra", "Tanja", "Mojca"], ["Luka", "Matej", "Marko", "Ivan", "Tomislav", "Janez"],
            ["Novak", "Horvat", "Kranjc", "Kovačič", "Babić", "Marić"]),
        ["lt"] = new(["Rasa", "Jurgita", "Ieva", "Asta", "Greta", "Vaida"], ["Tomas", "Mindaugas", "Darius", "Andrius", "Lukas", "Vytautas"],
            ["Kazlauskas|Kazlauskienė", "Jankauskas|Jankauskienė", "Petrauskas|Petrauskienė", "Stankevičius|Stankevičienė", "Vasiliauskas|Vasiliauskienė"]),
        ["lv"] = new(["Anna", "Līga", "Ilze", "Kristīne", "Inese", "Zane"], ["Jānis", "Andris", "Mārtiņš", "Edgars", "Kārlis", "Artūrs"],
            ["Bērziņš|Bērziņa", "Kalniņš|Kalniņa", "Ozoliņš|Ozoliņa", "Liepiņš|Liepiņa", "Krūmiņš|Krūmiņa"]),
        ["et"] = new(["Kadri", "Liis", "Kristiina", "Triin", "Maarja", "Piret"], ["Andres", "Tarmo", "Margus", "Rein", "Toomas", "Priit"],
            ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk"]),
        ["ro"] = new(["Ioana", "Elena", "Andreea", "Mihaela", "Cristina", "Natalia"], ["Andrei", "Mihai", "Alexandru", "Bogdan", "Sergiu", "Ion"],
            ["Popescu", "Ionescu", "Rusu", "Munteanu", "Ciobanu", "Dumitrescu"]),
        ["bg"] = new(["Maria", "Elena", "Desislava", "Gergana", "Milena", "Tsvetelina"], ["Georgi", "Dimitar", "Ivan", "Nikolay", "Stoyan", "Hristo"],
            ["Ivanov|Ivanova", "Georgiev|Georgieva", "Dimitrov|Dimitrova", "Petrov|Petrova", "Nikolov|Nikolova"]),
        ["cs"] = new(["Jana", "Petra", "Lucie", "Martina", "Zuzana", "Katarína"], ["Jan", "Tomáš", "Martin", "Jakub", "Peter", "Lukáš"],
            ["Novák|Nováková", "Dvořák|Dvořáková", "Svoboda|Svobodová", "Horváth|Horváthová", "Kováč|Kováčová"]),
        ["el"] = new(["Maria", "Eleni", "Katerina", "Dimitra", "Sofia", "Georgia"], ["Giorgos", "Nikos", "Kostas", "Dimitris", "Yannis", "Christos"],
            ["Papadopoulos|Papadopoulou", "Georgiou", "Nikolaidis|Nikolaidou", "Konstantinou", "Christodoulou", "Ioannou"]),
        ["mt"] = new(["Maria", "Rita", "Claire", "Doris", "Josephine", "Roberta"], ["Joseph", "Mario", "Charles", "Paul", "Carmel", "Kevin"],
            ["Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea"]),
        ["nordic"] = new(["Ingrid", "Astrid", "Sofia", "Anna", "Helena", "Kirsi"], ["Lars", "Mikko", "Anders", "Erik", "Jukka", "Henrik"],
            ["Hansen", "Nielsen", "Virtanen", "Andersson", "Johansson", "Korhonen"]),
        ["ar"] = new(["Fatima", "Amina", "Leila", "Salma", "Nadia", "Rania"], ["Mohamed", "Youssef", "Karim", "Omar", "Hassan", "Tarek"],
            ["El Amrani", "Benali", "Haddad", "Khoury", "Mansour", "Saleh"]),
        ["west-africa-fr"] = new(["Aminata", "Fatou", "Awa", "Mariama", "Adjoa", "Rokia"], ["Moussa", "Ibrahima", "Mamadou", "Ousmane", "Koffi", "Abdoulaye"],
            ["Diop", "Traoré", "Ndiaye", "Coulibaly", "Ouédraogo", "Kouassi"]),
        ["west-africa-en"] = new(["Ngozi", "Abena", "Chioma", "Efua", "Adaeze", "Akosua"], ["Kwame", "Chinedu", "Emeka", "Kofi", "Tunde", "Yaw"],
            ["Mensah", "Okafor", "Adeyemi", "Boateng", "Owusu", "Nwosu"]),
        ["east-africa"] = new(["Wanjiru", "Achieng", "Aline", "Hirut", "Grace", "Immaculée"], ["Kamau", "Otieno", "Jean-Paul", "Dawit", "Samuel", "Emmanuel"],
            ["Mwangi", "Ochieng", "Uwimana", "Tesfaye", "Nakato", "Habimana"]),
        ["east-slavic"] = new(["Olena", "Natalia", "Iryna", "Oksana", "Svetlana", "Yulia"], ["Andrii", "Serhii", "Oleksandr", "Dmitry", "Mykola", "Pavel"],
            ["Kovalenko", "Shevchenko", "Bondarenko", "Ivanov|Ivanova", "Smirnov|Smirnova", "Melnyk"]),
        ["caucasus"] = new(["Nino", "Tamar", "Ani", "Lusine", "Mariam", "Ketevan"], ["Giorgi", "Levan", "Armen", "Davit", "Aram", "Irakli"],
            ["Beridze", "Kapanadze", "Grigoryan", "Harutyunyan", "Gelashvili", "Sargsyan"]),
        ["central-asia"] = new(["Aigerim", "Gulnara", "Aida", "Dinara", "Zarina", "Asel"], ["Rustam", "Nurlan", "Azamat", "Bakyt", "Timur", "Erlan"],
            ["Akhmetov|Akhmetova", "Nurlanov|Nurlanova", "Abdrakhmanov|Abdrakhmanova", "Omarov|Omarova", "Sadykov|Sadykova"]),
        ["ph"] = new(["Maria", "Ana", "Kristine", "Joy", "Rosario", "Liza"], ["Jose", "Juan", "Mark", "Ramon", "Paolo", "Rafael"],
            ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza"]),
        ["th"] = new(["Siriporn", "Nattaya", "Kanya", "Pimchanok", "Wanida", "Suda"], ["Somchai", "Anan", "Prasert", "Niran", "Kittisak", "Wichai"],
            ["Srisuk", "Saetang", "Wongsawat", "Chaiyaporn", "Rattanakorn", "Boonmee"]),
        ["kh"] = new(["Sokha", "Sreymom", "Chanthou", "Bopha", "Dara", "Kalyan"], ["Sokhom", "Vuthy", "Rithy", "Sophal", "Chenda", "Visal"],
            ["Chan", "Sok", "Kim", "Heng", "Long", "Prak"]),
    };

    private static readonly Dictionary<string, string> TraditionOf = new(StringComparer.Ordinal)
    {
        ["FR"] = "fr", ["LU"] = "fr", ["BE"] = "nl", ["NL"] = "nl", ["ES"] = "es", ["AR"] = "es", ["PE"] = "es", ["CO"] = "es", ["MX"] = "es",
        ["CR"] = "es", ["IT"] = "it", ["PT"] = "pt", ["BR"] = "pt", ["CV"] = "pt", ["GB"] = "en", ["IE"] = "en", ["DE"] = "de", ["AT"] = "de",
        ["HU"] = "hu", ["PL"] = "pl", ["SI"] = "south-slavic", ["HR"] = "south-slavic", ["LT"] = "lt", ["LV"] = "lv", ["EE"] = "et",
        ["RO"] = "ro", ["MD"] = "ro", ["BG"] = "bg", ["CZ"] = "cs", ["SK"] = "cs", ["GR"] = "el", ["CY"] = "el", ["MT"] = "mt",
        ["DK"] = "nordic", ["FI"] = "nordic", ["SE"] = "nordic", ["MA"] = "ar", ["TN"] = "ar", ["JO"] = "ar", ["LB"] = "ar", ["EG"] = "ar",
        ["DZ"] = "ar", ["SN"] = "west-africa-fr", ["ML"] = "west-africa-fr", ["BF"] = "west-africa-fr", ["CI"] = "west-africa-fr",
        ["BJ"] = "west-africa-fr", ["TG"] = "west-africa-fr", ["CM"] = "west-africa-fr", ["GH"] = "west-africa-en", ["NG"] = "west-africa-en",
        ["KE"] = "east-africa", ["UG"] = "east-africa", ["RW"] = "east-africa", ["ET"] = "east-africa", ["UA"] = "east-slavic",
        ["RU"] = "east-slavic", ["GE"] = "caucasus", ["AM"] = "caucasus", ["KG"] = "central-asia", ["KZ"] = "central-asia", ["PH"] = "ph",
        ["TH"] = "th", ["KH"] = "kh",
    };

    // Mobile numbers in each country's numbering plan, in its international format; the four digits
    // marked # vary. Taken from libphonenumber's example mobile numbers, which the tests use to check
    // every generated number against the expert's nationality.
    private static readonly Dictionary<string, string> MobileNumbers = new(StringComparer.Ordinal)
    {
        ["AT"] = "+43 664 12####", ["BE"] = "+32 450 00 ## ##", ["BG"] = "+359 43 01# ###", ["CY"] = "+357 96 12####",
        ["CZ"] = "+420 601 12# ###", ["DE"] = "+49 1512 345####", ["DK"] = "+45 34 41 ## ##", ["EE"] = "+372 5123 ####",
        ["ES"] = "+34 612 34 ## ##", ["FI"] = "+358 41 234####", ["FR"] = "+33 6 12 34 ## ##", ["GB"] = "+44 7400 12####",
        ["GR"] = "+30 691 234 ####", ["HR"] = "+385 92 123 ####", ["HU"] = "+36 20 123 ####", ["IE"] = "+353 85 012 ####",
        ["IT"] = "+39 312 345 ####", ["LT"] = "+370 612 3####", ["LU"] = "+352 628 12# ###", ["LV"] = "+371 21 23# ###",
        ["MT"] = "+356 9696 ####", ["NL"] = "+31 6 1234####", ["PL"] = "+48 512 34# ###", ["PT"] = "+351 912 34# ###",
        ["RO"] = "+40 712 03# ###", ["SE"] = "+46 70 123 ## ##", ["SI"] = "+386 31 23# ###", ["SK"] = "+421 912 12# ###",
        ["CV"] = "+238 991 ## ##", ["BJ"] = "+229 01 95 12 ## ##", ["MD"] = "+373 621 1# ###", ["SN"] = "+221 70 123 ## ##",
        ["ML"] = "+223 65 01 ## ##", ["UA"] = "+380 50 123 ####", ["NG"] = "+234 802 123 ####", ["TN"] = "+216 20 12# ###",
        ["GH"] = "+233 23 123 ####", ["PH"] = "+63 905 123 ####", ["RU"] = "+7 912 345-##-##", ["AR"] = "+54 9 11 2345-####",
        ["JO"] = "+962 7 9012 ####", ["MA"] = "+212 6 50 12 ## ##", ["CI"] = "+225 01 23 45 ####", ["BF"] = "+226 70 12 ## ##",
        ["KE"] = "+254 712 12####", ["PE"] = "+51 912 34# ###", ["CO"] = "+57 321 123####", ["MX"] = "+52 222 123 ####",
        ["GE"] = "+995 555 12 ## ##", ["AM"] = "+374 77 12####", ["TH"] = "+66 81 234 ####", ["KH"] = "+855 91 23# ###",
        ["KG"] = "+996 700 12# ###", ["KZ"] = "+7 771 000 ####", ["BR"] = "+55 11 96123-####", ["CR"] = "+506 8312 ####",
        ["LB"] = "+961 71 12# ###", ["EG"] = "+20 10 0123####", ["UG"] = "+256 712 34####", ["ET"] = "+251 91 123 ####",
        ["RW"] = "+250 720 12# ###", ["TG"] = "+228 90 11 ## ##", ["CM"] = "+237 6 71 23 ## ##",
    };

    /// <summary>Every naming tradition's lists.</summary>
    public static IEnumerable<NameList> AllNameLists => Traditions.Values;

    /// <summary>The naming tradition of a nationality (English for one the lists do not know).</summary>
    public static NameList NamesFor(string nationality) => Traditions[TraditionOf.GetValueOrDefault(nationality, "en")];

    /// <summary>
    /// A given and a family name for the gender: a woman's from the women's list, a man's from the men's;
    /// someone of another or undisclosed gender may carry either.
    /// </summary>
    public static (string Given, string Family) Name(Random random, string nationality, string gender)
    {
        var names = NamesFor(nationality);
        var woman = gender switch { "female" => true, "male" => false, _ => random.Next(2) == 0 };
        var given = woman ? names.Women[random.Next(names.Women.Length)] : names.Men[random.Next(names.Men.Length)];
        return (given, NameList.FamilyFor(names.Families[random.Next(names.Families.Length)], woman));
    }

    /// <summary>Whether numbers of the country can be drawn.</summary>
    public static bool HasMobileNumbers(string country) => MobileNumbers.ContainsKey(country);

    /// <summary>A mobile number of the nationality's country, or null for a country the table does not hold.</summary>
    public static string? MobileNumber(Random random, string nationality) =>
        MobileNumbers.TryGetValue(nationality, out var pattern)
            ? string.Concat(pattern.Select(c => c == '#' ? (char)('0' + random.Next(10)) : c))
            : null;
}
