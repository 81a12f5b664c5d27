"""Reminders that reach people: ``deadlines remind``.

Each unit gets one digest a day per channel — e-mail (:mod:`.mail`), 企业微信
(:mod:`.wecom`), 钉钉 (:mod:`.dingtalk`), 飞书 (:mod:`.feishu`) as its
``contacts.yaml`` entry says (:mod:`.contacts`) — of what is new for it:
overdue, due within its lead time, newly dated by a trigger, newly waiting
(:mod:`.digest`, pure).  Every reminder is claimed in the event store before
it is sent and settled after (:mod:`deadlines.reminderlog`): a reminder sent
is never sent again, one that failed is sent by the next run, two runs at
once never both send it, and one failing channel does not stop the others.

:func:`deadlines.remind.send.send_reminders` is the one call; ``today`` and ``now`` (a clock, for
the time each row is written and the robots' signatures) are arguments.

The package itself imports nothing, so that ``deadlines check`` and
``history``, which read :mod:`.contacts` and :mod:`.digest`, do not load the
channels' ssl, smtplib and urllib, which only sending needs.
"""
