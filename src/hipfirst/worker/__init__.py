"""The background worker edge: runs queued video analyses outside the web requests.

* :mod:`hipfirst.worker.loop`: the job loop of ``hipfirst worker`` and the
  supervision of one analysis process per job;
* :mod:`hipfirst.worker.child`: the analysis process itself;
* :mod:`hipfirst.worker.process`: the ``hipfirst worker`` child that
  ``hipfirst serve`` keeps running beside the web server.

The queue's state machine lives with the models (:mod:`hipfirst.storage.jobs`);
what an analysis does is a use case (:mod:`hipfirst.application.analyses`).
"""
