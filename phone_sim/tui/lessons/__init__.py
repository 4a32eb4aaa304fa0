"""The lesson screens: pick a lesson, play it on its handsets beside a guiding panel,
the trainee's own portal, the summary. The engine lives in ``phone_sim.training``."""
