# expect: passed
import numpy as np


def corr2d(x, k):
    rows, cols = len(x) - len(k) + 1, len(x[0]) - len(k[0]) + 1
    result = []
    for i in range(rows):
        row = []
        for j in range(cols):
            row.append(sum(float(x[i + a][j + b]) * float(k[a][b]) for a in range(len(k)) for b in range(len(k[0]))))
        result.append(row)
    return np.array(result, dtype=np.float32)
