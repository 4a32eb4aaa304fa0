# Lessons broken on purpose: test_lesson_loader_bad.py loads them; no plugin should collect them.
collect_ignore_glob = ["*.yaml"]
