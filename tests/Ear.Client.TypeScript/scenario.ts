// The client scenario of issue #12 in TypeScript: every request and answer is typed by the types
// generated from openapi/ear.v1.json (npm run generate), so the contract is checked by the compiler
// (tsc --strict) and the service by running the script: EAR_URL and EAR_API_KEY name an admin's way in.
// It counts what it finds, so it needs a service on an empty roster (Ear__DemoData=false, a new database).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/ear.v1.js";

type ExpertRequest = components["schemas"]["ExpertRequest"];
type ActionStatus = NonNullable<components["schemas"]["StatusChangeRequest"]["to"]>;

const baseUrl = process.env.EAR_URL;
const apiKey = process.env.EAR_API_KEY;
if (!baseUrl || !apiKey) {
  throw new Error("Set EAR_URL (the service's address) and EAR_API_KEY (an admin key).");
}

// JSON and problem+json only: CSV comes from the operations that answer nothing else (.csv), read as text (parseAs).
const ear = createClient<paths, `${string}/json`>({ baseUrl, headers: { "X-Api-Key": apiKey } });

const period = { from: "2027-03-01", to: "2027-04-30" };
const workshop = { from: "2027-03-10", to: "2027-03-12" };

/** The data of a successful answer with the expected status, or an error that shows the problem. */
function expect<T>(step: string, status: number, result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (response.status !== status || data === undefined) {
    throw new Error(`${step}: expected ${status}, got ${response.status} ${JSON.stringify(error ?? data)}`);
  }
  console.log(`ok  ${step} (${response.status})`);
  return data;
}

function etagOf(step: string, response: Response): string {
  const etag = response.headers.get("ETag");
  assert.ok(etag, `${step}: no ETag`);
  return etag;
}

function expertProfile(familyName: string, position: string): ExpertRequest {
  return {
    givenName: "Lucía",
    familyName,
    email: `${familyName.toLowerCase()}@example.org`,
    phone: "+33 1 23 45 67 89",
    gender: "female",
    nationality: "FR",
    kind: "eu_civil_servant",
    memberState: "FR",
    employer: "Ministère de l'Intérieur",
    position,
    bio: "Twenty years of border management.",
    languages: [
      { code: "fr", level: "native" },
      { code: "es", level: "C1" },
    ],
    themes: [{ code: "irregular.border-management", level: 3 }],
    countriesOfExperience: ["PE"],
    unavailability: [],
    status: "active",
    consent: { recordedAt: "2026-01-15T10:00:00Z", recordedBy: "MIEUX team", basis: "Written consent form" },
  };
}

/** A one-page PDF with a correct cross-reference table (the service reads PDFs strictly). */
function minimalPdf(text: string): Uint8Array {
  const content = `BT /F1 12 Tf 40 780 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf); // ASCII only, so string offsets are byte offsets
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const before = expect("search the whole roster", 200, await ear.GET("/api/v1/experts"));
assert.equal(before.total, 0, "the scenario needs an empty roster: a new database without demonstration data");

// Reference data: the theme tree.
const themes = expect("read themes", 200, await ear.GET("/api/v1/themes"));
const irregular = themes.find((area) => area.code === "irregular");
assert.ok(irregular, "the area 'irregular' is in the tree");
assert.ok(irregular.children.some((theme) => theme.code === "irregular.border-management"));
assert.ok(irregular.label.en, "areas are labelled in English");

// An expert: create, then replace with If-Match.
const created = await ear.POST("/api/v1/experts", { body: expertProfile("Fernández", "Border police officer") });
const expert = expect("create expert", 201, created);
assert.equal(expert.origin, "eu");
const updated = await ear.PUT("/api/v1/experts/{id}", {
  params: { path: { id: expert.id }, header: { "If-Match": etagOf("create expert", created.response) } },
  body: expertProfile("Fernández", "Head of the border police academy"),
});
assert.equal(expect("update expert with If-Match", 200, updated).position, "Head of the border police academy");
assert.notEqual(etagOf("update expert", updated.response), etagOf("create expert", created.response));

// A South expert from the region, so that the team below has someone of each origin to choose.
const south = expect("create South expert", 201, await ear.POST("/api/v1/experts", {
  body: {
    ...expertProfile("Quispe", "Director of migration policy"),
    nationality: "CO",
    kind: "south_civil_servant",
    memberState: null,
    languages: [{ code: "es", level: "native" }],
    countriesOfExperience: ["EC", "PE"],
  },
}));
assert.equal(south.origin, "south");

// Search with filters: a typed page.
const page = expect("search experts", 200, await ear.GET("/api/v1/experts", {
  params: {
    query: {
      theme: "irregular",
      language: "es",
      minLevel: "B2",
      origin: "eu",
      memberState: "FR",
      status: "active",
      availableFrom: workshop.from,
      availableTo: workshop.to,
      limit: 10,
    },
  },
}));
assert.equal(page.total, 1);
assert.deepEqual(page.items.map((found) => found.id), [expert.id]);
assert.equal(page.nextCursor, null);

// The same filter as CSV: every match, no paging, in the columns the import reads.
const exported = expect("export the search as CSV", 200, await ear.GET("/api/v1/experts.csv", {
  params: { query: { theme: "irregular", language: "es", minLevel: "B2", origin: "eu", status: "active" } },
  parseAs: "text",
})).trim().split("\n");
assert.match(exported[0] ?? "", /^id,givenName,familyName,email,/);
assert.deepEqual(exported.slice(1).map((row) => row.split(",")[0]), [expert.id]);

// A CV: upload as multipart (field `file`), download the same bytes.
const pdf = minimalPdf("Border management expert, Lima and Quito");
const version = expect("upload CV", 201, await ear.POST("/api/v1/experts/{id}/cv", {
  params: { path: { id: expert.id } },
  body: { file: new Blob([pdf], { type: "application/pdf" }) },
  bodySerializer(body) {
    const form = new FormData();
    form.append("file", body.file, "cv.pdf");
    return form;
  },
}));
assert.equal(version.version, 1);
assert.equal(version.sha256, sha256(pdf));
const download = await ear.GET("/api/v1/experts/{id}/cv", { params: { path: { id: expert.id }, query: { purpose: "roster_management" } }, parseAs: "arrayBuffer" });
const downloaded = new Uint8Array(expect("download CV", 200, download));
assert.equal(download.response.headers.get("Content-Type"), "application/pdf");
assert.equal(download.response.headers.get("ETag"), `"${version.sha256}"`);
assert.equal(sha256(downloaded), sha256(pdf), "the downloaded CV is the uploaded file");

// An action, through the workflow to approved, with one activity.
const action = expect("create action", 201, await ear.POST("/api/v1/actions", {
  body: {
    code: `TS-${Date.now()}`,
    title: "Strengthening border management",
    requestingAuthority: "Superintendencia Nacional de Migraciones",
    beneficiaryCountries: ["PE"],
    themes: ["irregular.border-management"],
    workingLanguages: ["es"],
    requestedAt: "2026-10-01",
    period,
  },
}));
for (const to of ["in_preparation", "approved"] satisfies ActionStatus[]) {
  const moved = expect(`move action to ${to}`, 200, await ear.POST("/api/v1/actions/{id}/status", {
    params: { path: { id: action.id } },
    body: { to },
  }));
  assert.equal(moved.status, to);
}
const activity = expect("add activity", 201, await ear.POST("/api/v1/actions/{id}/activities", {
  params: { path: { id: action.id } },
  body: { type: "workshop", title: "Risk analysis workshop", ...workshop, country: "PE", remote: false },
}));

// Matching for the action, with a team of one EU and one South expert; deploy whom it proposes.
const matching = expect("match experts for the action", 200, await ear.POST("/api/v1/actions/{id}/matching", {
  params: { path: { id: action.id } },
  body: { period: workshop, team: { size: 2, minEu: 1, minSouth: 1 } },
}));
assert.ok(matching.runId, "the run is stored");
const proposed = matching.team;
assert.ok(proposed, "a team is proposed when one is asked for");
assert.ok(proposed.feasible, `team unmet: ${proposed.unmet.join(", ")}`);
assert.deepEqual([...proposed.members].sort(), [expert.id, south.id].sort());
for (const [i, expertId] of proposed.members.entries()) {
  const deployment = expect(`deploy proposed member ${i + 1}`, 201, await ear.POST("/api/v1/activities/{id}/deployments", {
    params: { path: { id: activity.id } },
    body: { expertId, role: i === 0 ? "lead_expert" : "expert" },
  }));
  assert.equal(deployment.status, "active");
  assert.equal(deployment.from, workshop.from);
}
const team = expect("read the action's team", 200, await ear.GET("/api/v1/actions/{id}/deployments", {
  params: { path: { id: action.id } },
}));
assert.equal(team.length, 2);

// The reports of 2027: the summary as JSON and as CSV, the member states as CSV.
const year = { from: "2027-01-01", to: "2027-12-31" };
const summary = expect("summary report (JSON)", 200, await ear.GET("/api/v1/reports/summary", { params: { query: year } }));
assert.equal(summary.deployments, 2);
assert.equal(summary.expertsDeployed, 2);
assert.deepEqual(summary.deployedByOrigin, { eu: 1, south: 1 });
assert.equal(summary.activitiesByType["workshop"], 1);
assert.deepEqual(summary.partnerCountries, ["PE"]);
const csv = await ear.GET("/api/v1/reports/summary.csv", { params: { query: year }, parseAs: "text" });
const lines = expect("summary report (CSV)", 200, csv).split("\n");
assert.match(csv.response.headers.get("Content-Type") ?? "", /^text\/csv/);
assert.equal(lines[0], "figure,key,value");
assert.ok(lines.includes("deployments,,2"), "the CSV carries the same figures");
const memberStates = expect("member-state report (CSV)", 200,
  await ear.GET("/api/v1/reports/member-states.csv", { params: { query: year }, parseAs: "text" })).split("\n");
assert.equal(memberStates[0], "memberState,expertsInPool,expertsEverDeployed,deploymentsInPeriod,shareOfDeployments");
assert.ok(memberStates.some((row) => /^FR,\d+,1,1,0\.5$/.test(row)), "France: its expert deployed once, half the deployments (the other is the South expert's)");

console.log("scenario passed");
