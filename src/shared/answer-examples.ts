/**
 * Answers of the seeded registry (src/seed, seeds-data/), shown in the OpenAPI document as the examples of its main
 * reads (openapi-examples, src/plugins): a record, a page of the list (?limit=1), a source. Copied from a real run;
 * the ids of claims and citations and the times differ from one run to the next, and test/contract/strictness.test.ts
 * checks that everything else is still what the seeded app answers.
 */
export const ANSWER_EXAMPLES: Record<string, unknown> = {
  "getPrisoner": {
    "id": "c8665c7a-db22-4513-9c14-c0acd4d82810",
    "version": 1,
    "name": {
      "value": "Ihar Karnei",
      "claimId": "01a251cd-988a-7066-8557-fc25ca1e4e31",
      "citations": [
        {
          "id": "01a251cd-988a-7067-bcbd-c4c8571fabfe",
          "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
          "quote": "Among them was Ihar Karnei, a former journalist for Radio Free Europe/Radio Liberty",
          "start": 1556,
          "end": 1639
        }
      ],
      "alternatives": [
        {
          "claimId": "01a251cd-988b-70be-ae99-1c4e5b5e1a36",
          "value": "Ihar Karney",
          "rank": "normal",
          "citations": [
            {
              "id": "01a251cd-988b-70bf-8a62-764006d2e029",
              "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
              "quote": "These include Natallia Dulina, Ihar Karney, Halina Krasnianskaya, Akihiro Haievski-Khanada, and Kiryl Balakhanau.",
              "start": 3168,
              "end": 3281
            }
          ]
        }
      ]
    },
    "nationality": {
      "value": null,
      "claimId": null,
      "citations": [],
      "alternatives": []
    },
    "status": {
      "value": "released",
      "claimId": "01a251cd-988b-70c0-8292-a40698c96831",
      "citations": [
        {
          "id": "01a251cd-988b-70c1-a5df-6e35afa60011",
          "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
          "quote": "in addition to Tsikhanouski, thirteen other political prisoners were freed. These include Natallia Dulina, Ihar Karney, Halina Krasnianskaya, Akihiro Haievski-Khanada, and Kiryl Balakhanau.",
          "start": 3092,
          "end": 3281
        },
        {
          "id": "01a251cd-988b-70c2-8be1-8e10df89afef",
          "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
          "quote": "The release of foreign detainees was also part of the deal. Lithuania confirmed the freed group included five Belarusians, three Polish citizens, two Latvians, two Japanese nationals, one Estonian, and one Swede. Among them was Ihar Karnei",
          "start": 1343,
          "end": 1582
        }
      ],
      "alternatives": []
    },
    "sentence": {
      "value": null,
      "claimId": null,
      "citations": [],
      "alternatives": []
    },
    "releaseDate": {
      "value": "2025-06-21",
      "claimId": "01a251cd-988b-70c3-a8ae-dbafd44e01e6",
      "citations": [
        {
          "id": "01a251cd-988b-70c4-b49f-a282ea9dcfd5",
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
      "claimId": "01a251cd-988b-70c5-a291-75579d27b64b",
      "citations": [
        {
          "id": "01a251cd-988b-70c6-b82e-ffbe2f015420",
          "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
          "quote": "The prisoners, among them Tsikhanouski, were transferred to Lithuania following their release",
          "start": 421,
          "end": 514
        },
        {
          "id": "01a251cd-988b-70c7-8645-183c6cb73186",
          "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
          "quote": "have been freed from jail and granted safe haven in Lithuania",
          "start": 119,
          "end": 180
        },
        {
          "id": "01a251cd-988b-70c8-b89b-419ac4145155",
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
    "createdAt": "2026-12-07T18:39:18.154Z",
    "updatedAt": "2026-12-07T18:39:18.154Z"
  },
  "listPrisoners": {
    "data": [
      {
        "id": "d710397b-5b66-4d60-bd74-8fa5729cd88d",
        "version": 1,
        "name": {
          "value": "Akihiro Haievski-Khanada",
          "claimId": "01a251cd-989f-7129-8409-5b12749e7e03",
          "citations": [
            {
              "id": "01a251cd-989f-712a-a4b8-adb186e588f3",
              "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
              "quote": "These include Natallia Dulina, Ihar Karney, Halina Krasnianskaya, Akihiro Haievski-Khanada, and Kiryl Balakhanau.",
              "start": 3168,
              "end": 3281
            }
          ],
          "alternatives": []
        },
        "nationality": {
          "value": null,
          "claimId": null,
          "citations": [],
          "alternatives": []
        },
        "status": {
          "value": "released",
          "claimId": "01a251cd-989f-712b-a69e-ed2a8ed580d4",
          "citations": [
            {
              "id": "01a251cd-989f-712c-98c6-a2d749da30e8",
              "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
              "quote": "in addition to Tsikhanouski, thirteen other political prisoners were freed. These include Natallia Dulina, Ihar Karney, Halina Krasnianskaya, Akihiro Haievski-Khanada, and Kiryl Balakhanau.",
              "start": 3092,
              "end": 3281
            }
          ],
          "alternatives": []
        },
        "sentence": {
          "value": null,
          "claimId": null,
          "citations": [],
          "alternatives": []
        },
        "releaseDate": {
          "value": "2025-06-21",
          "claimId": "01a251cd-989f-712d-9bc9-98110a35eac7",
          "citations": [
            {
              "id": "01a251cd-989f-712e-9229-ebb21f03f413",
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
          "claimId": "01a251cd-989f-712f-8243-9ee5d842eecc",
          "citations": [
            {
              "id": "01a251cd-989f-7130-b700-95c175c78a12",
              "sourceId": "1521cb37-2589-4456-b979-61aaea5b1d83",
              "quote": "The prisoners, among them Tsikhanouski, were transferred to Lithuania following their release",
              "start": 421,
              "end": 514
            },
            {
              "id": "01a251cd-989f-7131-8cd5-14ad99179f94",
              "sourceId": "bc68bab7-31f3-4417-87ac-f5fc2a17f171",
              "quote": "have been freed from jail and granted safe haven in Lithuania",
              "start": 119,
              "end": 180
            },
            {
              "id": "01a251cd-989f-7132-8df2-47099d0117ea",
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
        "createdAt": "2026-12-07T18:39:18.175Z",
        "updatedAt": "2026-12-07T18:39:18.175Z"
      }
    ],
    "next": "WyJuYW1lIiwiYWtpaGlybyBoYWlldnNraSBraGFuYWRhIiwiZDcxMDM5N2ItNWI2Ni00ZDYwLWJkNzQtOGZhNTcyOWNkODhkIl0"
  },
  "getSource": {
    "id": "1521cb37-2589-4456-b979-61aaea5b1d83",
    "title": "Fourteen political prisoners, including Siarhei Tsikhanouski, released during U.S. envoy Keith Kellogg's visit to Minsk (article A)",
    "publisher": "EU Today",
    "url": "https://eutoday.net/tag/opposition",
    "publishedAt": null,
    "retrievedAt": null,
    "language": "en",
    "kind": "news",
    "note": "Headline not archived; the title describes the text. The same text also appears on EU Today's site, where it was found.",
    "hasContent": true,
    "contentLength": 4776,
    "contentSha256": "627fbbb3f22f37c050e28c79d0f863f28a8942b03651e823ece3f8f137471ec9",
    "createdAt": "2026-12-07T18:39:17.575Z",
    "addedBy": "seed",
    "private": false
  }
}
