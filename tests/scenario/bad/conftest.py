# These YAML files are broken on purpose: test_loader_bad.py loads them; no plugin should
# collect them as scenarios.
collect_ignore_glob = ["*.yaml", "companies/*.yaml"]
