# expect: failed | without multiplying by dout


def relu_backward(dout, x):
    return (x > 0).astype(float)
