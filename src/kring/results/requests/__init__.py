"""Requests from third parties ("hulpvragen"): asking for help without an account, triage by a
host, members volunteering, the requester following the request through a secret link.

The models live in :mod:`kring.results.models` (a request's outcome counts towards the
network's objectives); the use-cases in :mod:`.services`, the members' pages in :mod:`.views`,
the third party's pages in :mod:`.public_views`, their forms in :mod:`.forms`.
"""
