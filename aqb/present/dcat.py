"""DCAT-AP.de metadata (JSON-LD) for the open-data package: what GovData and the Hessian portal harvest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

LICENSE_ID = "dl-de/by-2-0"
LICENSE_TITLE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"
LICENSE_URI = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"  # the DCAT-AP.de licence vocabulary
HESSEN_URI = "http://dcat-ap.de/def/politicalGeocoding/stateKey/06"
STATE_LEVEL_URI = "http://dcat-ap.de/def/politicalGeocodingLevel/state"
KEYWORDS = ("Ausbildungs- und Qualifizierungsbudget", "AQB", "Zielvereinbarung", "Ausbildung", "Qualifizierung",
            "Arbeitsmarkt", "Hessen", "Landkreise", "kreisfreie Städte")
EU = "http://publications.europa.eu/resource/authority"
FORMATS = {".csv": ("CSV", "text/csv"), ".parquet": ("PARQUET", "application/vnd.apache.parquet"),
           ".json": ("JSON", "application/json"), ".jsonld": ("JSON_LD", "application/ld+json")}

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
}


@dataclass(frozen=True)
class Meta:
    title: str
    description: str
    publisher: str
    first_year: int
    last_year: int
    modified: datetime
    base_url: str = ""  # where the files will be served; without it the distributions name relative files


def _uri(kind: str, value: str) -> dict:
    return {"@id": value, "@type": kind}


def _typed(value: str, xsd: str) -> dict:
    return {"@value": value, "@type": f"xsd:{xsd}"}


def _german(text: str) -> dict:
    return {"@value": text, "@language": "de"}


def _distribution(meta: Meta, path: Path) -> dict:
    file_type, media_type = FORMATS.get(path.suffix, ("BIN", "application/octet-stream"))
    content = path.read_bytes()
    url = meta.base_url.rstrip("/") + "/" + path.name if meta.base_url else path.name
    return {
        "@type": "dcat:Distribution",
        "dct:title": _german(f"{path.stem} ({file_type})"),
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{EU}/file-type/{file_type}"},
        "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{media_type}"},
        "dct:license": {"@id": LICENSE_URI},
        "dcatde:licenseAttributionByText": meta.publisher,
        "dcat:byteSize": _typed(str(len(content)), "decimal"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": hashlib.sha256(content).hexdigest(),
        },
        "dct:modified": _typed(meta.modified.isoformat(timespec="seconds"), "dateTime"),
    }


def dataset(meta: Meta, files: list[Path]) -> dict:
    """A dcat:Dataset with one distribution per file; licence dl-de/by-2-0, Hessen, the agreement years."""
    return {
        "@context": CONTEXT,
        "@type": "dcat:Dataset",
        "@id": (meta.base_url.rstrip("/") + "/#dataset") if meta.base_url else "#dataset",
        "dct:title": _german(meta.title),
        "dct:description": _german(meta.description),
        "dct:identifier": "aqb-hessen-zielvereinbarungen",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": meta.publisher},
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": meta.publisher},
        "dct:license": {"@id": LICENSE_URI, "@type": "dct:LicenseDocument", "dct:title": _german(LICENSE_TITLE),
                        "foaf:page": {"@id": LICENSE_URL}},
        "dct:rights": _german(f"{LICENSE_TITLE} ({LICENSE_URL})"),
        "dct:language": {"@id": f"{EU}/language/DEU"},
        "dcat:theme": [{"@id": f"{EU}/data-theme/SOCI"}, {"@id": f"{EU}/data-theme/GOVE"}],
        "dcat:keyword": [_german(k) for k in KEYWORDS],
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _typed(date(meta.first_year, 1, 1).isoformat(), "date"),
            "dcat:endDate": _typed(date(meta.last_year, 12, 31).isoformat(), "date"),
        },
        "dct:spatial": _uri("dct:Location", HESSEN_URI),
        "dcatde:politicalGeocodingURI": {"@id": HESSEN_URI},
        "dcatde:politicalGeocodingLevelURI": {"@id": STATE_LEVEL_URI},
        "dcatde:geocodingDescription": _german("Hessen"),
        "dct:modified": _typed(meta.modified.isoformat(timespec="seconds"), "dateTime"),
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/IRREG"},
        "dcat:distribution": [_distribution(meta, f) for f in files],
    }
