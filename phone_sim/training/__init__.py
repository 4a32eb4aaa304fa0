"""Guided lessons: lesson files, the lesson engine, progress and the ``lessons`` commands.

A face of the simulator (no Textual here: the lesson screen lives in
``phone_sim.tui.lessons``). Lessons reuse the scenario vocabulary and checker.
"""
