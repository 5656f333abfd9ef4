import pytest

from pipeline import i18n


def test_i18n_switch_defaults_to_chinese(monkeypatch):
    monkeypatch.delenv("GAZETTE_LANG", raising=False)
    assert i18n.get_lang() == "zh"
    assert i18n.pick("文件", "file") == "文件"


def test_i18n_switch_english_and_rejects_unknown(monkeypatch):
    monkeypatch.setenv("GAZETTE_LANG", "zh")  # recorded: the switch to en below is undone after the test
    i18n.set_lang("en")
    assert i18n.pick("文件", "file") == "file"
    with pytest.raises(ValueError):
        i18n.set_lang("fr")
    monkeypatch.setenv("GAZETTE_LANG", "xx")
    assert i18n.get_lang() == "zh"
