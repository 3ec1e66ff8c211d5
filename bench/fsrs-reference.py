"""Reference values for the FSRS-5 unit tests in src/review/fsrs.rs, from the published
formulas (https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm, FSRS-5)
with the default parameters and a desired retention of 0.9. Run once: python3 bench/fsrs-reference.py"""
import math

w = [0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
     1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621]
DECAY, FACTOR, RET = -0.5, 19 / 81, 0.9


def interval(s):
    return min(max(round(s / FACTOR * (RET ** (1 / DECAY) - 1)), 1), 36500)


def d0(g):
    return w[4] - math.exp(w[5] * (g - 1)) + 1


def next_d(d, g):
    d2 = d + (-w[6] * (g - 3)) * (10 - d) / 9
    return min(max(w[7] * d0(4) + (1 - w[7]) * d2, 1), 10)


def r(t, s):
    return (1 + FACTOR * t / s) ** DECAY


def review(card, g, elapsed):
    if card is None:
        s, d = w[g - 1], min(max(d0(g), 1), 10)
    else:
        s, d = card
        if elapsed == 0:
            s = s * math.exp(w[17] * (g - 3 + w[18]))
        elif g == 1:
            rr = r(elapsed, s)
            s = min(w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp(w[14] * (1 - rr)), s)
        else:
            rr = r(elapsed, s)
            hard = w[15] if g == 2 else 1
            easy = w[16] if g == 4 else 1
            s = s * (math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp(w[10] * (1 - rr)) - 1) * hard * easy + 1)
        d = next_d(d, g)
    return (s, d)


for g in (1, 2, 3, 4):
    c = review(None, g, 0)
    print(f"new grade {g}: s={c[0]:.5f} d={c[1]:.5f} interval={interval(c[0])}")
# Good every time it falls due.
c, out = None, []
for _ in range(5):
    c = review(c, 3, interval(c[0]) if c else 0)
    out.append(interval(c[0]))
print("good on each due date:", out, f"s={c[0]:.4f} d={c[1]:.4f}")
c = review(None, 3, 0)
c = review(c, 1, interval(c[0]))
print(f"good then again on the due date: s={c[0]:.5f} d={c[1]:.5f} interval={interval(c[0])}")
c = review(None, 3, 0)
c = review(c, 2, interval(c[0]))
print(f"good then hard on the due date: s={c[0]:.5f} d={c[1]:.5f} interval={interval(c[0])}")
c = review(None, 3, 0)
c = review(c, 4, interval(c[0]))
print(f"good then easy on the due date: s={c[0]:.5f} d={c[1]:.5f} interval={interval(c[0])}")
c = review(None, 3, 0)
c = review(c, 3, 0)
print(f"good twice the same day: s={c[0]:.5f} d={c[1]:.5f} interval={interval(c[0])}")
