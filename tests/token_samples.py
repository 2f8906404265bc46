"""A token as a real org returned it (FACTS.md §1), and the ids it uses, for the model and rule tests."""

from __future__ import annotations

TOKEN = "00T1gtr35t8ZbfBfV1d7"
USER = "00unkw1sfbTw08c0g1d7"
ZONE = "nzonkw1sfwwiH9Hxt1d7"
OTHER_ZONE = "nzonkw1sfwwi79Hat2d7"

RECORDED = {
    "id": TOKEN,
    "name": "api-token-test-token",
    "userId": USER,
    "clientName": "Okta API",
    "tokenWindow": "P30D",
    "network": {"connection": "ZONE", "exclude": [ZONE]},
    "expiresAt": "2025-12-02T14:47:13.000Z",
    "created": "2025-11-02T14:47:13.000Z",
    "lastUpdated": "2025-11-06T08:22:21.000Z",
    "_links": {"self": {"href": "https://x/api/v1/api-tokens/" + TOKEN}},
}
