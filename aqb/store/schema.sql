-- The AQB store. One file per snapshot; see aqb/store.py for how snapshots are switched.
-- Money is integer cents (budget_cents); dates are ISO dates; keys are text (AGS keeps its 0).

create table if not exists meta (
    meta_key text primary key,
    meta_value text not null
);

create table if not exists partners (
    partner_ags text not null,
    valid_from date,
    valid_to date,
    partner_name text not null,
    official_name text not null,
    partner_kind text not null,
    regierungsbezirk text not null,
    seat text not null,
    population integer not null,
    population_date date not null,
    population_source text not null
);

create table if not exists measure_types (
    measure_type_code integer primary key,
    measure_type_name text not null,
    measure_type_label text not null,
    aliases text not null
);

-- The original bytes of every ingested document, so the dashboard can offer it for download.
create table if not exists source_documents (
    source_sha256 text primary key,
    source_file text not null,
    file_format text not null,
    byte_size bigint not null,
    content blob not null,
    first_ingested_at timestamp not null
);

-- The current version of each partner x year. Replaced versions move to agreements_history.
create table if not exists agreements (
    agreement_id text primary key,          -- the SHA-256 of the source document
    partner_ags text not null,
    agreement_year integer not null,
    budget_cents bigint not null,
    ministry_name text,
    status text not null,                   -- entwurf | unterzeichnet | veroeffentlicht
    status_date date,
    provenance text not null,               -- vereinbarung | demo
    is_demo boolean not null,
    source_file text not null,
    source_sha256 text not null,
    file_format text not null,
    page_count integer not null,
    ingested_at timestamp not null,
    parser_version text not null,
    warnings text[] not null,
    -- What kind of document made this version, and the amendment applied last (if any): an
    -- amendment ("1. Änderung der Zielvereinbarung 2024") is applied to the current agreement of
    -- its partner x year; the version before it moves to agreements_history (replaced_by = the
    -- amendment's SHA-256). Every applied amendment is listed in agreement_amendments.
    document_kind text not null default 'zielvereinbarung',   -- zielvereinbarung | aenderung
    amended_by_file text,                   -- file name of the last amendment applied, else null
    amended_date date,                      -- its signing date (latest signature), else null
    is_ocr boolean not null default false,  -- read by OCR: counts as official only once confirmed
    confirmed_by text,                      -- staff who ticked the „zu prüfen“ values (OCR, blocking checks) in the upload review
    unique (partner_ags, agreement_year)
);

create table if not exists agreements_history (
    agreement_id text primary key,
    partner_ags text not null,
    agreement_year integer not null,
    budget_cents bigint not null,
    ministry_name text,
    status text not null,
    status_date date,
    provenance text not null,
    is_demo boolean not null,
    source_file text not null,
    source_sha256 text not null,
    file_format text not null,
    page_count integer not null,
    ingested_at timestamp not null,
    parser_version text not null,
    warnings text[] not null,
    document_kind text not null default 'zielvereinbarung',
    amended_by_file text,
    amended_date date,
    is_ocr boolean not null default false,
    confirmed_by text,
    replaced_at timestamp not null,
    replaced_by text not null              -- agreement_id of the next version (an amendment's SHA-256 too)
);

-- Amendments (Änderung/Nachtrag) applied to an agreement, oldest first. base_agreement_id is the
-- version the amendment changed (now in agreements_history), result_agreement_id the version it
-- made (the amendment's SHA-256).
create table if not exists agreement_amendments (
    result_agreement_id text primary key,
    base_agreement_id text not null,
    partner_ags text not null,
    agreement_year integer not null,
    amendment_label text not null,          -- "1. Änderung der Zielvereinbarung 2024"
    source_file text not null,
    amended_date date,
    changes_budget boolean not null,
    changes_projects boolean not null,
    applied_at timestamp not null
);

-- The amounts § 4 names, one row each (see aqb/ingest/budget.py for the rule). The lines with
-- is_part_of_budget add up exactly to agreements.budget_cents; davon-lines are a breakdown within
-- them, so sums over is_part_of_budget lines never count an amount twice.
create table if not exists budget_lines (
    agreement_id text not null,
    line_position integer not null,
    programme_code text not null,           -- AQB | ARBEITSMARKTBUDGET | AUSBILDUNGSBUDGET | TEILZEITAUSBILDUNG | MIGRATION | ESF
    line_role text not null,                -- gesamt | teil | davon | zusaetzlich
    amount_cents bigint not null,
    is_part_of_budget boolean not null,
    source_page integer not null,
    source_line integer not null,
    source_snippet text not null,
    primary key (agreement_id, line_position)
);

-- Projects of every version (current and history), in document order.
create table if not exists projects (
    agreement_id text not null,
    project_position integer not null,
    measure_type_code integer not null,
    project_name text not null,
    source_page integer not null,
    source_line integer not null,
    source_snippet text not null,
    amount_cents bigint,                    -- only where § 5 names an amount for the project
    provider text,                          -- the Träger, where § 5 is a table that names one
    primary key (agreement_id, project_position)
);

create table if not exists signatures (
    agreement_id text not null,
    side text not null,                     -- ministry | partner
    signed_place text,
    signed_date date,
    signer_name text,
    signer_role text,
    source_page integer not null,
    source_line integer not null,
    source_snippet text not null
);

-- Where each scalar value of an agreement was read (year, partner, budget, ministry).
create table if not exists extracted_values (
    agreement_id text not null,
    field_name text not null,
    source_page integer not null,
    source_line integer not null,
    source_snippet text not null,
    confidence text not null default 'sicher',  -- sicher | zu prüfen (OCR, a cross-check that did not hold)
    confidence_reason text not null default '',
    primary key (agreement_id, field_name)
);

-- Budget figures from press releases and council papers: facts with a source, not agreements.
create table if not exists published_amounts (
    published_id integer primary key,
    agreement_year integer not null,
    partner_ags text,                       -- null for statewide totals
    scope text not null,
    programme text not null,
    is_aqb boolean not null,                -- the AQB itself, not predecessors or add-on calls
    amount_cents bigint not null,
    amount_precision text not null,         -- exakt | gerundet/vorläufig | in Aussicht gestellt
    note text not null,
    source_url text not null
);

create table if not exists ingest_log (
    logged_at timestamp not null,
    actor text not null,
    source_file text not null,
    source_sha256 text,
    outcome text not null,                  -- neu | ersetzt | unverändert | übersprungen | abgelehnt
    message text not null
);

-- Umsetzungsstand (plan vs. actual) per partner x year x project, from the autumn spreadsheet.
-- An import replaces all rows of each partner x year it contains; generated demo rows never
-- replace rows imported from a real sheet (provenance 'umsetzung').
create table if not exists implementation_status (
    partner_ags text not null,
    agreement_year integer not null,
    project_name text not null,
    approved_cents bigint not null,
    spent_cents bigint not null,
    planned_places integer,
    participants integer,
    as_of_date date not null,
    provenance text not null,               -- umsetzung | demo
    is_demo boolean not null,
    source_file text not null,
    imported_at timestamp not null,
    primary key (partner_ags, agreement_year, project_name)
);

-- Inhabitants per partner territory and Stichtag (data/reference/population.csv). The territory
-- period says for which agreement years a figure describes the partner (Main-Kinzig-Kreis with
-- Hanau until 2025, without it from 2026); per-capita values use the macro
-- population_at_common_stichtag, never this table directly.
create table if not exists population (
    partner_ags text not null,
    partner_name text not null,
    population_stichtag date not null,
    population integer not null,
    population_basis text not null,         -- Zensus 2011 | Zensus 2022
    territory_from date,
    territory_to date,
    population_source text not null,
    population_note text not null
);

-- Which project continues which project of the year before (aqb/store/project_links.py): the staff
-- alias list first, then equal normalised names, then similar names within the same Maßnahmenart.
create table if not exists project_links (
    agreement_id text not null,
    project_position integer not null,
    previous_agreement_id text not null,
    previous_project_position integer not null,
    match_kind text not null,               -- gleich | alias | ähnlich
    match_score double not null,
    primary key (agreement_id, project_position, previous_agreement_id, previous_project_position)
);
