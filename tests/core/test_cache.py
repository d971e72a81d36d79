"""The process cache: values kept for a time, reloaded on a changed stamp, forgotten together."""

import time

from dailypapers.core.cache import KeptValue, KeptValues, forget_all


def counter():
    calls = []

    def fetch(keys=None):
        calls.append(keys)
        return {key: len(key) for key in keys} if keys is not None else len(calls)

    return fetch, calls


def test_values_are_fetched_once_until_they_expire():
    fetch, calls = counter()
    kept = KeptValues(seconds=0.2)
    assert kept.get_many(["ab", "abc"], fetch, default=0) == {"ab": 2, "abc": 3}
    assert kept.get_many(["abc", "x"], fetch, default=0) == {"abc": 3, "x": 1}
    assert calls == [["ab", "abc"], ["x"]]  # only the key not kept is asked for
    time.sleep(0.25)
    kept.get_many(["ab"], fetch, default=0)
    assert calls[-1] == ["ab"]


def test_a_key_the_fetch_does_not_return_gets_the_default():
    kept = KeptValues(seconds=None)
    assert kept.get_many(["gone"], lambda keys: {}, default=-1) == {"gone": -1}


def test_one_value_is_fetched_again_when_its_stamp_changes():
    fetch, calls = counter()
    stamp = ["v1"]
    kept = KeptValue(fetch, stamp=lambda: stamp[0])
    assert kept.get() == kept.get() == 1
    stamp[0] = "v2"
    assert kept.get() == 2 and len(calls) == 2


def test_forget_all_empties_what_describes_the_data_and_keeps_what_is_pure():
    data_fetch, data_calls = counter()
    pure_fetch, pure_calls = counter()
    about_data = KeptValue(data_fetch, seconds=300)
    pure = KeptValue(pure_fetch)
    about_data.get(), pure.get()
    forget_all()
    about_data.get(), pure.get()
    assert len(data_calls) == 2 and len(pure_calls) == 1
