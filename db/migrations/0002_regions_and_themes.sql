-- The MIEUX regions (shared/domain.md) with their countries, and the thematic taxonomy: the pillars of
-- the Global Approach to Migration and Mobility plus the horizontal area, each with dotted sub-theme
-- codes (the codes of the 2009-2015 historical record are all here).

CREATE TABLE regions (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z_]+(\.[a-z_]+)?$'),
    label_en   text NOT NULL,
    label_fr   text NOT NULL,
    label_es   text NOT NULL,
    sort_order int  NOT NULL
);

CREATE TABLE region_countries (
    region_code  text    NOT NULL REFERENCES regions (code),
    country_code char(2) NOT NULL REFERENCES countries (code),
    PRIMARY KEY (region_code, country_code)
);
CREATE INDEX region_countries_country ON region_countries (country_code);

INSERT INTO regions (code, label_en, label_fr, label_es, sort_order) VALUES
    ('africa.west', 'Africa: West', 'Afrique de l''Ouest', 'África Occidental', 1),
    ('africa.east_central_southern', 'Africa: East, Central and Southern', 'Afrique de l''Est, centrale et australe', 'África Oriental, Central y Austral', 2),
    ('asia.central', 'Asia: Central', 'Asie centrale', 'Asia Central', 3),
    ('asia.south_east', 'Asia: South-East', 'Asie du Sud-Est', 'Sudeste Asiático', 4),
    ('neighbourhood.east', 'European Neighbourhood: East', 'Voisinage européen : Est', 'Vecindad Europea: Este', 5),
    ('neighbourhood.south', 'European Neighbourhood: South', 'Voisinage européen : Sud', 'Vecindad Europea: Sur', 6),
    ('latin_america_caribbean', 'Latin America and the Caribbean', 'Amérique latine et Caraïbes', 'América Latina y el Caribe', 7),
    ('overseas', 'Overseas countries and territories', 'Pays et territoires d''outre-mer', 'Países y territorios de ultramar', 8),
    ('gulf', 'The Gulf', 'Le Golfe', 'El Golfo', 9),
    ('pacific', 'The Pacific', 'Le Pacifique', 'El Pacífico', 10);

INSERT INTO region_countries (region_code, country_code)
SELECT r.region_code, unnest(r.countries)::char(2)
FROM (VALUES
    ('africa.west', ARRAY['BJ','BF','CV','CI','GM','GH','GN','GW','LR','ML','MR','NE','NG','SN','SL','TG']),
    ('africa.east_central_southern', ARRAY['AO','BI','BW','CM','CF','TD','KM','CG','CD','DJ','GQ','ER','SZ','ET','GA','KE','LS','MG','MW','MU','MZ','NA','RW','ST','SC','SO','ZA','SS','SD','TZ','UG','ZM','ZW']),
    ('asia.central', ARRAY['KZ','KG','TJ','TM','UZ']),
    ('asia.south_east', ARRAY['BN','KH','ID','LA','MY','MM','PH','SG','TH','TL','VN']),
    ('neighbourhood.east', ARRAY['AM','AZ','BY','GE','MD','UA']),
    ('neighbourhood.south', ARRAY['DZ','EG','IL','JO','LB','LY','MA','PS','SY','TN']),
    ('latin_america_caribbean', ARRAY['AR','BO','BR','CL','CO','CR','CU','DO','EC','SV','GT','HT','HN','JM','MX','NI','PA','PY','PE','UY','VE','AG','BS','BB','BZ','DM','GD','GY','KN','LC','VC','SR','TT']),
    ('overseas', ARRAY['GL','NC','PF','WF','PM','BL','TF','AW','CW','SX','BQ']),
    ('gulf', ARRAY['BH','KW','OM','QA','SA','AE']),
    ('pacific', ARRAY['FJ','KI','MH','FM','NR','PW','PG','WS','SB','TO','TV','VU','CK','NU'])
) AS r (region_code, countries);

-- A theme's parent is the code before its last dot; the five areas have none.
CREATE TABLE themes (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z]+(\.[a-z-]+)?$'),
    parent_code text REFERENCES themes (code),
    label_en    text NOT NULL,
    label_fr    text NOT NULL,
    label_es    text NOT NULL,
    sort_order  int  NOT NULL,
    CHECK ((parent_code IS NULL) = (position('.' in code) = 0)),
    CHECK (parent_code IS NULL OR code LIKE parent_code || '.%')
);
CREATE INDEX themes_parent ON themes (parent_code);

INSERT INTO themes (code, parent_code, label_en, label_fr, label_es, sort_order) VALUES
    ('legal', NULL, 'Legal migration and mobility', 'Migration légale et mobilité', 'Migración legal y movilidad', 1),
    ('irregular', NULL, 'Irregular migration and trafficking in human beings', 'Migration irrégulière et traite des êtres humains', 'Migración irregular y trata de seres humanos', 2),
    ('development', NULL, 'Migration and development', 'Migration et développement', 'Migración y desarrollo', 3),
    ('protection', NULL, 'International protection and asylum', 'Protection internationale et asile', 'Protección internacional y asilo', 4),
    ('horizontal', NULL, 'Horizontal', 'Thèmes transversaux', 'Temas transversales', 5);

INSERT INTO themes (code, parent_code, label_en, label_fr, label_es, sort_order) VALUES
    ('legal.labour-migration', 'legal', 'Labour migration', 'Migration de travail', 'Migración laboral', 1),
    ('legal.integration', 'legal', 'Integration', 'Intégration', 'Integración', 2),
    ('legal.free-movement', 'legal', 'Free movement', 'Libre circulation', 'Libre circulación', 3),
    ('legal.circular-migration', 'legal', 'Circular migration', 'Migration circulaire', 'Migración circular', 4),
    ('legal.consular-services', 'legal', 'Consular services', 'Services consulaires', 'Servicios consulares', 5),
    ('legal.mobility', 'legal', 'Mobility', 'Mobilité', 'Movilidad', 6),
    ('legal.pre-departure', 'legal', 'Pre-departure orientation', 'Orientation avant le départ', 'Orientación previa a la partida', 7),
    ('irregular.border-management', 'irregular', 'Border management', 'Gestion des frontières', 'Gestión de fronteras', 1),
    ('irregular.visa', 'irregular', 'Visa management', 'Gestion des visas', 'Gestión de visados', 2),
    ('irregular.document-security', 'irregular', 'Document security', 'Sécurité des documents', 'Seguridad documental', 3),
    ('irregular.trafficking', 'irregular', 'Trafficking in human beings', 'Traite des êtres humains', 'Trata de seres humanos', 4),
    ('irregular.smuggling', 'irregular', 'Smuggling of migrants', 'Trafic illicite de migrants', 'Tráfico ilícito de migrantes', 5),
    ('irregular.return-readmission', 'irregular', 'Return and readmission', 'Retour et réadmission', 'Retorno y readmisión', 6),
    ('irregular.irregular-migration', 'irregular', 'Irregular migration', 'Migration irrégulière', 'Migración irregular', 7),
    ('development.migration-and-development', 'development', 'Migration and development', 'Migration et développement', 'Migración y desarrollo', 1),
    ('development.development-planning', 'development', 'Development planning', 'Planification du développement', 'Planificación del desarrollo', 2),
    ('development.diaspora', 'development', 'Diaspora engagement', 'Mobilisation de la diaspora', 'Participación de la diáspora', 3),
    ('development.remittances', 'development', 'Remittances', 'Transferts de fonds', 'Remesas', 4),
    ('development.brain-drain', 'development', 'Brain drain and brain gain', 'Fuite et gain des cerveaux', 'Fuga y ganancia de cerebros', 5),
    ('protection.asylum', 'protection', 'Asylum systems', 'Systèmes d''asile', 'Sistemas de asilo', 1),
    ('protection.refugee-integration', 'protection', 'Refugee integration', 'Intégration des réfugiés', 'Integración de refugiados', 2),
    ('protection.displacement', 'protection', 'Displacement', 'Déplacements de population', 'Desplazamiento', 3),
    ('protection.unaccompanied-minors', 'protection', 'Unaccompanied minors', 'Mineurs non accompagnés', 'Menores no acompañados', 4),
    ('horizontal.data', 'horizontal', 'Migration data management', 'Gestion des données migratoires', 'Gestión de datos migratorios', 1),
    ('horizontal.policy-development', 'horizontal', 'Policy development', 'Élaboration des politiques', 'Desarrollo de políticas', 2),
    ('horizontal.legislation', 'horizontal', 'Legislation', 'Législation', 'Legislación', 3),
    ('horizontal.migration-management', 'horizontal', 'Migration management', 'Gestion des migrations', 'Gestión migratoria', 4),
    ('horizontal.human-rights', 'horizontal', 'Human rights', 'Droits de l''homme', 'Derechos humanos', 5),
    ('horizontal.gender', 'horizontal', 'Gender', 'Genre', 'Género', 6),
    ('horizontal.health', 'horizontal', 'Migration and health', 'Migration et santé', 'Migración y salud', 7),
    ('horizontal.climate-and-environment', 'horizontal', 'Climate and environment', 'Climat et environnement', 'Clima y medio ambiente', 8),
    ('horizontal.communication', 'horizontal', 'Communication', 'Communication', 'Comunicación', 9),
    ('horizontal.vulnerable-groups', 'horizontal', 'Vulnerable groups', 'Groupes vulnérables', 'Grupos vulnerables', 10),
    ('horizontal.cooperation', 'horizontal', 'Cooperation and dialogue', 'Coopération et dialogue', 'Cooperación y diálogo', 11);
