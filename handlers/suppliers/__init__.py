"""Supplier development: capability profiles of member organizations (/capabilities), sourcing
requests from buyers (/sourcing: the form, approval by the coordinators of SOURCING_AXES, the
notice to matching suppliers through the outbox), suppliers' interest, the buyer's shortlist
and the introductions, the deadline job, and the sourcing switch of /notifications.

May use bot/, storage/, handlers.core and handlers.shared; never another feature package.
"""
