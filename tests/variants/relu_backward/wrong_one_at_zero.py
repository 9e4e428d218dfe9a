# expect: failed | 1 where x == 0


def relu_backward(dout, x):
    return dout * (x >= 0)
