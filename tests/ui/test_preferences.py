"""Preferences › Environments as a user drives it, saving to the real settings file in tmp_path."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.preferences import PreferencesDialog


@pytest.fixture
def context(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    ctx = AppContext()
    yield ctx
    ctx.close()


@pytest.fixture
def page(qtbot, context):
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog.environments
    dialog.deleteLater()


def names(page):
    return [page.list.item(i).text() for i in range(page.list.count())]


def select(page, name):
    for i in range(page.list.count()):
        if page.list.item(i).text().startswith(name):
            page.list.setCurrentRow(i)
            return
    raise AssertionError(f"{name} is not listed: {names(page)}")


def retype(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def saved_file(tmp_path):
    return json.loads((tmp_path / "config" / "environments.json").read_text())


def test_the_first_run_environments_are_listed(page):
    assert names(page) == ["Local sandbox", "Staging", "Production — real orders"]
    assert page.form.name.text() == "Local sandbox"
    assert page.form.base_url.text() == "Built in (this computer)" and page.form.base_url.isReadOnly()
    assert "sandbox:" not in page.form.base_url.toolTip()


def test_editing_shows_the_settings_models_message_beside_the_field_and_saves_when_fixed(qtbot, page, context, tmp_path):
    select(page, "Staging")
    form = page.form
    retype(qtbot, form.base_url, "http://staging.example.com")
    assert form.errors["base_url"].isVisible()
    assert "https://" in form.message("base_url")
    assert not page.save_button.isEnabled()
    retype(qtbot, form.base_url, "https://staging2.example.com")
    assert not form.errors["base_url"].isVisible()
    form.batch_size.setValue(0)
    assert "1" in form.message("batch_size")
    assert not page.save_button.isEnabled()
    form.batch_size.setValue(25)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.summary.text() == "Saved Staging."
    staging = context.environments.get("staging")
    assert (staging.base_url, staging.batch_size) == ("https://staging2.example.com", 25)
    on_disk = {e["id"]: e for e in saved_file(tmp_path)["environments"]}
    assert on_disk["staging"]["base_url"] == "https://staging2.example.com"


def test_add_a_production_environment_with_a_colour_then_remove_it(qtbot, page, context, tmp_path):
    changed = []
    page.environments_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert form.name.hasFocus()
    qtbot.keyClicks(form.name, "Training")
    retype(qtbot, form.base_url, "https://training.example.com")
    retype(qtbot, form.colour, "#12")
    assert "#2e7d32" in form.message("colour")
    retype(qtbot, form.colour, "#6a1b9a")
    qtbot.mouseClick(form.is_production, Qt.MouseButton.LeftButton)
    form.request_format.setCurrentIndex(form.request_format.findData("RecipeSet"))
    form.rate_limit_requests.setValue(10)
    form.rate_limit_seconds.setValue(6)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Training — real orders" in names(page)
    assert changed == [True]
    added = context.environments.get("Training")
    assert added.is_production and added.colour == "#6a1b9a" and added.request_format == "RecipeSet"
    assert (added.rate_limit_requests, added.rate_limit_seconds) == (10, 6.0)
    assert any(e["name"] == "Training" for e in saved_file(tmp_path)["environments"])

    select(page, "Training")
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "Training" not in " ".join(names(page))
    assert all(e["name"] != "Training" for e in saved_file(tmp_path)["environments"])


def test_removing_the_active_environment_is_refused_with_a_reason(qtbot, page):
    select(page, "Local sandbox")
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "Local sandbox" in names(page)
    assert page.summary.text() != ""


def test_a_blank_name_is_marked(qtbot, page):
    select(page, "Staging")
    page.form.name.clear()
    assert page.form.message("name") == "Give the environment a name."
    assert not page.save_button.isEnabled()


def test_closing_with_unsaved_changes_asks_first_without_blocking(qtbot, context):
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.environments
    select(page, "Staging")
    retype(qtbot, page.form.name, "Staging 2")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    question = dialog.unsaved_question
    assert question is not None and question.isVisible() and dialog.isVisible()
    question.done(QMessageBox.StandardButton.Cancel)
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.unsaved_question.done(QMessageBox.StandardButton.Discard)
    assert not dialog.isVisible()
    assert context.environments.get("staging").name == "Staging"


def test_each_environment_has_its_token_button(qtbot, page):
    select(page, "Staging")
    qtbot.mouseClick(page.token_button, Qt.MouseButton.LeftButton)
    assert page.token_dialog.isVisible()
    assert page.token_dialog.windowTitle() == "API token for Staging"
    page.token_dialog.close()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert not page.token_button.isEnabled()


def test_un_marking_production_asks_naming_it_and_its_address_and_cancel_keeps_it(qtbot, page, context):
    select(page, "Production")
    qtbot.mouseClick(page.form.is_production, Qt.MouseButton.LeftButton)
    assert not page.form.is_production.isChecked()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    question = page.not_production_question
    assert question is not None and question.isVisible()
    text = " ".join(label.text() for label in question.findChildren(QLabel))
    assert "Production" in text and "https://api.spectrumcustomizer.com" in text
    qtbot.keyClick(question, Qt.Key.Key_Return)  # Enter does not un-mark it: Cancel is the default
    assert not question.isVisible()
    assert context.environments.get("production").is_production
    assert page.form.is_production.isChecked() and not page.has_unsaved_changes()


def test_a_spectrum_production_address_is_saved_as_not_production_only_after_typing_its_name(qtbot, page, context):
    select(page, "Production")
    qtbot.mouseClick(page.form.is_production, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    question = page.not_production_question
    typed = question.findChild(QLineEdit, "confirmEnvironmentName")
    assert typed.isVisible() and not question.confirm_button.isEnabled()
    qtbot.keyClicks(typed, "Prod")
    assert not question.confirm_button.isEnabled()
    qtbot.keyClicks(typed, "uction")
    assert question.confirm_button.isEnabled()
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    assert not context.environments.get("production").is_production
    assert page.summary.text() == "Saved Production."


def test_un_marking_another_production_environment_asks_without_typing(qtbot, page, context):
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.name, "Training")
    retype(qtbot, page.form.base_url, "https://training.example.com")
    qtbot.mouseClick(page.form.is_production, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.not_production_question is None, "marking production never asks"
    assert context.environments.get("Training").is_production
    qtbot.mouseClick(page.form.is_production, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    question = page.not_production_question
    assert not question.findChild(QLineEdit, "confirmEnvironmentName").isVisible()
    assert "training.example.com" in " ".join(label.text() for label in question.findChildren(QLabel))
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    assert not context.environments.get("Training").is_production


def saved_new(qtbot, page, name, address):
    """Add an environment with this name and address, press Save; the question it raises (or None)."""
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.name, name)
    retype(qtbot, page.form.base_url, address)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    return page.not_production_question


def test_a_new_environment_at_the_production_address_cannot_be_saved_as_not_production_silently(qtbot, page, context):
    question = saved_new(qtbot, page, "Live 2", "https://API.spectrumcustomizer.com/")
    assert question is not None and question.isVisible() and not question.confirm_button.isEnabled()
    question.reject()
    assert all(e.name != "Live 2" for e in context.environments.list())


def test_a_new_environment_at_the_production_address_is_offered_to_be_marked_as_production(qtbot, page, context):
    question = saved_new(qtbot, page, "Live 3", "https://api.spectrumcustomizer.com")
    said = " ".join(label.text() for label in question.findChildren(QLabel))
    assert "no longer" not in said, "it never was production"
    assert "not marked as production" in said and question.windowTitle() == "Mark it as production?"
    qtbot.waitUntil(question.mark_button.isDefault, timeout=2000)  # Enter marks it: the safe answer
    qtbot.mouseClick(question.mark_button, Qt.MouseButton.LeftButton)
    saved = next(e for e in context.environments.list() if e.name == "Live 3")
    assert saved.is_production and page.form.is_production.isChecked()
    assert page.summary.text() == "Saved Live 3."


def test_a_new_environment_shows_no_problem_before_it_is_typed_into(qtbot, page):
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert all(not page.form.message(field) for field in page.form.errors)
    assert not page.save_button.isEnabled() and "https://" in page.summary.text()
    retype(qtbot, page.form.base_url, "https:")
    assert page.form.message("base_url"), "a field shows its problem once edited"
    assert page.summary.text() == "Fix 1 field marked in red before saving."


def test_the_field_count_has_the_right_plural(qtbot, page):
    select(page, "Staging")
    page.form.name.clear()
    assert page.summary.text() == "Fix 1 field marked in red before saving."
    page.form.batch_size.setValue(0)
    assert page.summary.text() == "Fix 2 fields marked in red before saving."
