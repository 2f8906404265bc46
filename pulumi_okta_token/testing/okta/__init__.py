"""The fake Okta org, modelled on moto: state apart from the HTTP layer.

``backend`` ``FakeOrg``, the org's state (its tokens and zones here), made of parts that share one lock,
clock and id source (``base``): ``users`` (users, status and admin roles) and ``apps`` (OAuth service
apps, access tokens); ``tokens`` the shapes a token is kept and handed out in; ``seed`` loads a seed
document; ``errors`` the domain errors; ``update_rules`` how a PUT body is judged, as pure functions;
``oauth`` the token endpoint; ``server`` the HTTP layer (routes, authentication, rendering); ``wire``
Okta's answer shapes; ``controls`` what tests set and read (journal, rate limits, page size); ``faults``
one dataclass per kind of misbehaviour (``hostile``: those answering with hostile text);
``relay`` a loopback relay that adds network latency;
``certs`` the self-signed certificate of ``FakeOkta(tls=True)``; ``fake`` ``FakeOkta``, which serves
all of it on 127.0.0.1 in a thread.

Users import ``FakeOkta`` from :mod:`pulumi_okta_token.testing`; the rest is for tests that look inside.
"""
