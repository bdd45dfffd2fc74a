/**
 * Answers of the seeded registry (src/seed, seeds-data/), shown in the OpenAPI document as the examples of its main
 * reads (openapi-examples, src/plugins): a record (Siarhei Tsikhanouski's, whose values the write examples cite too) and a
 * page of the list (?q=Tsikhanouski&limit=1: the other records' quotes name people who may be withheld one day). Copied from a real run;
 * the ids of claims and citations and the times differ from one run to the next, and test/contract/strictness.test.ts
 * checks that everything else is still what the seeded app answers.
 *
 * No source is an example: a source's answer holds the SHA-256 of its archived text, and once an editor redacts words
 * of that text (a withheld name), the original's hash in a document served to all would let anyone test guesses of the
 * redacted words against it (test/core/access/no-withheld-leak.test.ts reads /docs/json too). Records shown are those
 * the seed's write examples already show; a registry that withholds one of them must not serve these examples.
 */
/** Tsikhanouski's record as GET /v1/prisoners/{id} answers it. */
const TSIKHANOUSKI = {
  "id": "0968a2a3-7b21-4219-a0ce-c37cf80cdb24",
  "version": 1,
  "name": {
    "value": "Siarhei Tsikhanouski",
    "claimId": "01a251ef-bd21-73f2-8b5b-90160aae99cf",
    "citations": [
      {
        "id": "01a251ef-bd22-7329-90d5-de8c9214312a",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "Fourteen political prisoners, including prominent opposition figure Siarhei Tsikhanouski, have been released by the Belarusian authorities",
        "start": 0,
        "end": 138
      }
    ],
    "alternatives": [
      {
        "claimId": "01a251ef-bd22-732a-9fd4-60cef60ceb10",
        "value": "Syarhei Tsikhanouski",
        "rank": "normal",
        "citations": [
          {
            "id": "01a251ef-bd22-732b-a864-acec376dc444",
            "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
            "quote": "Belarusian opposition leader Syarhei Tsikhanouski",
            "start": 36,
            "end": 85
          }
        ]
      }
    ]
  },
  "nationality": {
    "value": "BY",
    "claimId": "01a251ef-bd22-732c-9762-47d4e5c786e3",
    "citations": [
      {
        "id": "01a251ef-bd22-732d-a4c8-ad6e67283356",
        "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
        "quote": "Belarusian opposition leader Syarhei Tsikhanouski",
        "start": 36,
        "end": 85
      }
    ],
    "alternatives": []
  },
  "status": {
    "value": "released",
    "claimId": "01a251ef-bd22-732e-b7fd-72d76614b9d4",
    "citations": [
      {
        "id": "01a251ef-bd22-732f-8bb0-81e74877b1c0",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "Fourteen political prisoners, including prominent opposition figure Siarhei Tsikhanouski, have been released by the Belarusian authorities",
        "start": 0,
        "end": 138
      },
      {
        "id": "01a251ef-bd22-7330-9f15-ccef99d19837",
        "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
        "quote": "Syarhei Tsikhanouski and 13 other political prisoners have been freed from jail",
        "start": 65,
        "end": 144
      }
    ],
    "alternatives": []
  },
  "sentence": {
    "value": {
      "text": "18 years in a high-security penal colony, extended by 18 months in 2023",
      "termMonths": 234,
      "sentencedIn": "2021",
      "charges": [
        "organising mass unrest",
        "inciting hatred"
      ]
    },
    "claimId": "01a251ef-bd22-7331-a362-afaca71c7073",
    "citations": [
      {
        "id": "01a251ef-bd22-7332-9c40-2a1d7f47a92d",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "In 2021, Tsikhanouski was sentenced to 18 years in a high-security penal colony on charges including organising mass unrest and inciting hatred.",
        "start": 2329,
        "end": 2473
      },
      {
        "id": "01a251ef-bd22-7333-8081-67092e9abd5c",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "In 2023, his sentence was extended by another 18 months.",
        "start": 2474,
        "end": 2530
      }
    ],
    "alternatives": []
  },
  "releaseDate": {
    "value": "2025-06-21",
    "claimId": "01a251ef-bd22-7334-813b-59b5ab781d9d",
    "citations": [
      {
        "id": "01a251ef-bd22-7335-be63-15a1d1e75fb7",
        "sourceId": "29e8876e-d625-4487-b843-e58b4829bf22",
        "quote": "21 June 2025",
        "start": null,
        "end": null,
        "note": "Unverified: this report's text is not archived. Public reports date the release to Saturday 21 June 2025; check the words against the page."
      }
    ],
    "alternatives": []
  },
  "destination": {
    "value": {
      "country": "LT",
      "place": "Vilnius"
    },
    "claimId": "01a251ef-bd22-7336-be4d-f00a1b79300d",
    "citations": [
      {
        "id": "01a251ef-bd22-7337-a23d-b02726403e01",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "The prisoners, among them Tsikhanouski, were transferred to Lithuania following their release",
        "start": 421,
        "end": 514
      },
      {
        "id": "01a251ef-bd22-7338-99d2-a6bef04f6e82",
        "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
        "quote": "have been freed from jail and granted safe haven in Lithuania",
        "start": 119,
        "end": 180
      },
      {
        "id": "01a251ef-bd22-7339-bc06-5255e9a4f43e",
        "sourceId": "29e8876e-d625-4487-b843-e58b4829bf22",
        "quote": "Vilnius",
        "start": null,
        "end": null,
        "note": "Unverified: this report's text is not archived. Public reports say the freed group was brought to Vilnius; check the words against the page."
      }
    ],
    "alternatives": []
  },
  "identifiers": {
    "value": null,
    "claimId": null,
    "citations": [],
    "alternatives": []
  },
  "arrestDate": {
    "value": "2020",
    "claimId": "01a251ef-bd22-733a-a346-0a2ad1646ac0",
    "citations": [
      {
        "id": "01a251ef-bd22-733b-8b22-80ecf978dd4c",
        "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
        "quote": "He was arrested in 2020 after announcing his presidential ambitions",
        "start": 2141,
        "end": 2208
      }
    ],
    "alternatives": []
  },
  "recognition": {
    "value": null,
    "claimId": null,
    "citations": [],
    "alternatives": []
  },
  "events": [
    {
      "id": "7d3f8a2e-5c41-4b6e-9f0a-2e6b1c9d4a57"
    }
  ],
  "createdAt": "2026-12-07T19:16:35.745Z",
  "updatedAt": "2026-12-07T19:16:35.745Z"
}

export const ANSWER_EXAMPLES: Record<string, unknown> = {
  getPrisoner: TSIKHANOUSKI,
  // The same record as the list finds it by ?q=Tsikhanouski: the name claim that matched, then the record.
  listPrisoners: { data: [{ match: {"claimId": "01a251ef-bd21-73f2-8b5b-90160aae99cf", "value": "Siarhei Tsikhanouski", "rank": "preferred", "sameSpelling": true}, ...TSIKHANOUSKI }], next: null },
}
