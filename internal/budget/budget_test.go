package budget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBucket(t *testing.T) {
	b := New(12)
	assert.True(t, b.Take(5))
	assert.True(t, b.Take(5))
	assert.False(t, b.Take(5), "2 tokens left")
	b.Refund(0) // a first-attempt success earns one
	assert.Equal(t, 3, b.Available())
	b.Refund(10) // a success after retries earns back what it spent
	assert.Equal(t, 12, b.Available(), "never above capacity")

	var none *Bucket
	assert.True(t, none.Take(1000), "no budget: no limit")
	none.Refund(3)
}
