"""What the band and the window title say for each kind of environment: never a name said twice."""

from spectrum_desktop.domain.environment import SANDBOX_URL, Environment
from spectrum_desktop.ui.environment_band import band_text, production_name, title_name


def test_production_is_said_once():
    production = Environment(id="production", name="Production", base_url="https://api.spectrumcustomizer.com",
                             is_production=True)
    for text in (band_text(production), title_name(production), production_name(production)):
        assert "(PRODUCTION)" not in text and "(production)" not in text
        assert text.lower().count("production") == 1, text
    assert band_text(production).startswith("PRODUCTION")


def test_another_production_environment_is_named_and_marked():
    live = Environment(id="live", name="Live copy", base_url=SANDBOX_URL, is_production=True)
    assert band_text(live).startswith("PRODUCTION — Live copy:")
    assert production_name(live) == "Live copy (production)"


def test_a_test_environment_never_reads_not_production():
    unmarked = Environment(id="production", name="Production", base_url="https://staging.example.com")
    assert "not production" not in band_text(unmarked)
    assert band_text(unmarked).startswith("Production: for testing")


def test_an_unmarked_spectrum_production_address_is_still_called_real():
    unmarked = Environment(id="prod", name="Prod", base_url="https://api.spectrumcustomizer.com")
    assert "real" in band_text(unmarked) and "do not ask first" in band_text(unmarked)
