"""The implementation roadmap: the plan (tasks done, ordered, scheduled, its critical path) and its calendar.

The task graph it is built on is content (:mod:`assessment.content.task_graph`): the content checks find
dependency cycles in it before any plan is made.
"""
